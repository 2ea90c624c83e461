package io.drover.sandbox.microvm;

import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.Resources;
import io.drover.sandbox.Sandbox;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Prints what a clone's own disk ({@link CloneDisk}) adds to a clone: medians of the clone call
 * and of its parts, with the disk limit (the default 10 GiB disk: mke2fs while QEMU loads the
 * state, block_resize before the guest runs, the
 * guest's mount and overlays) and without ({@code drover.pool.disk-limit=none}), clones of the two
 * drivers alternating in one run so that both see the same load. Reports, never asserts: run it
 * with {@code -Ddrover.benchmark=true -Dtest=MicroVmDiskBenchmark}.
 */
class MicroVmDiskBenchmark {
    private static final int CLONES = Integer.getInteger("drover.benchmark.runs", 20);
    private static final Resources RESOURCES = new Resources(256, 1.0, 256);
    private static final BaseSpec SPEC = new BaseSpec("host", List.of("echo x > /workspace/x"), Map.of());

    @Test
    @EnabledIfSystemProperty(named = "drover.benchmark", matches = "true")
    void print_figures() throws Exception {
        try (VmFixture limited = new VmFixture(); VmFixture unlimited = new VmFixture()) {
            MicroVmDriver with = limited.driver();
            MicroVmDriver without = unlimited.track(new MicroVmDriver(unlimited.settings().withDisk(false, 10_240)));
            BaseSnapshot withBase = with.prepareBase(SPEC);
            BaseSnapshot withoutBase = without.prepareBase(SPEC);
            Figures a = new Figures();
            Figures b = new Figures();
            for (int i = 0; i < CLONES; i++) {
                a.clone(with, withBase);
                b.clone(without, withoutBase);
            }
            System.out.printf("microvm clone, %s, %d clones each, alternating (medians)%n", with.acceleration(), CLONES);
            System.out.printf("  %-34s %10s %10s %10s%n", "", "disk 10 GiB", "no limit", "added");
            a.print("clone() call", a.call, b.call);
            a.print("  restore (incoming done)", a.restored, b.restored);
            a.print("  QEMU start to agent ready", a.ready, b.ready);
            a.print("  guest mounts its disk (frame D)", a.disk, b.disk);
            a.print("clone() + echo, first output", a.toOutput, b.toOutput);
        }
    }

    private static final class Figures {
        final List<Long> call = new ArrayList<>();
        final List<Long> restored = new ArrayList<>();
        final List<Long> ready = new ArrayList<>();
        final List<Long> disk = new ArrayList<>();
        final List<Long> toOutput = new ArrayList<>();

        void clone(MicroVmDriver driver, BaseSnapshot base) throws Exception {
            long t0 = System.nanoTime();
            Sandbox sandbox = driver.clone(base, RESOURCES);
            long t1 = System.nanoTime();
            try {
                MicroVmSandbox own = (MicroVmSandbox) sandbox;
                call.add(t1 - t0);
                restored.add(own.restoreTime.toNanos());
                ready.add(own.readyTime.toNanos());
                disk.add(own.diskTime.toNanos());
                VmFixture.run(driver, sandbox, "echo hi");
                toOutput.add(System.nanoTime() - t0);
            } finally {
                driver.destroy(sandbox);
            }
        }

        void print(String what, List<Long> with, List<Long> without) {
            long a = median(with);
            long b = median(without);
            System.out.printf("  %-34s %8.1f ms %8.1f ms %+8.1f ms%n", what, a / 1e6, b / 1e6, (a - b) / 1e6);
        }

        private static long median(List<Long> values) {
            List<Long> sorted = new ArrayList<>(values);
            Collections.sort(sorted);
            return sorted.get(sorted.size() / 2);
        }
    }
}
