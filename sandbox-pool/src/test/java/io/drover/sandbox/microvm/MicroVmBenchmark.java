package io.drover.sandbox.microvm;

import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.Command;
import io.drover.sandbox.OutputSink;
import io.drover.sandbox.Resources;
import io.drover.sandbox.Sandbox;
import io.drover.sandbox.microvm.qemu.ProcessFigures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Prints medians of the microvm driver: cold boot, base save, clone restore (state loaded, agent
 * answering with the new identity, first byte of a command's output), private memory per clone
 * with several clones alive, and how many clones that fits in 8 GiB. Reports, never asserts: run
 * it with {@code -Ddrover.benchmark=true} (see docs/microvm.md).
 */
class MicroVmBenchmark {
    private static final int BOOTS = Integer.getInteger("drover.benchmark.boots", 3);
    private static final int CLONES = Integer.getInteger("drover.benchmark.runs", 10);
    private static final int ALIVE = Integer.getInteger("drover.benchmark.alive", 4);
    private static final Resources RESOURCES = new Resources(256, 1.0, 256);

    @Test
    @EnabledIfSystemProperty(named = "drover.benchmark", matches = "true")
    void print_figures() throws Exception {
        main(new String[0]);
    }

    public static void main(String[] args) throws Exception {
        try (VmFixture fixture = new VmFixture()) {
            MicroVmDriver driver = fixture.driver();
            List<Long> boots = new ArrayList<>();
            List<Long> saves = new ArrayList<>();
            BaseSnapshot base = null;
            for (int i = 0; i < BOOTS; i++) {
                base = driver.prepareBase(new BaseSpec("host", List.of("echo " + i + " > /workspace/n"), Map.of()));
                boots.add(driver.bases().lastBoot.toNanos());
                saves.add(driver.bases().lastSave.toNanos());
            }

            List<Long> restored = new ArrayList<>();
            List<Long> ready = new ArrayList<>();
            List<Long> firstByte = new ArrayList<>();
            List<Long> cloneToOutput = new ArrayList<>();
            for (int i = 0; i < CLONES; i++) {
                long t0 = System.nanoTime();
                Sandbox sandbox = driver.clone(base, RESOURCES);
                MicroVmSandbox own = (MicroVmSandbox) sandbox;
                restored.add(own.restoreTime.toNanos());
                ready.add(own.readyTime.toNanos());
                long t1 = System.nanoTime();
                long first = firstByte(driver, sandbox);
                firstByte.add(first - t1);
                cloneToOutput.add(first - t0);
                driver.destroy(sandbox);
            }

            List<Sandbox> alive = new ArrayList<>();
            List<Long> idleGuestPrivate = new ArrayList<>();
            List<Long> idleUss = new ArrayList<>();
            List<Long> uss = new ArrayList<>();
            List<Long> guestPrivate = new ArrayList<>();
            List<Long> rss = new ArrayList<>();
            try {
                for (int i = 0; i < ALIVE; i++) {
                    Sandbox sandbox = driver.clone(base, RESOURCES);
                    alive.add(sandbox);
                    VmFixture.run(driver, sandbox, "cat /workspace/n");
                }
                Thread.sleep(1000);
                for (Sandbox sandbox : alive) {
                    ProcessFigures f = driver.figures(sandbox);
                    idleUss.add(f.privateBytes());
                    idleGuestPrivate.add(f.guestPrivateBytes());
                }
                for (Sandbox sandbox : alive) {
                    VmFixture.run(driver, sandbox, "ls -R / > /dev/null 2>&1; echo x > /workspace/y");
                }
                Thread.sleep(1000);
                for (Sandbox sandbox : alive) {
                    ProcessFigures f = driver.figures(sandbox);
                    uss.add(f.privateBytes());
                    guestPrivate.add(f.guestPrivateBytes());
                    rss.add(f.rssBytes());
                }
            } finally {
                alive.forEach(driver::destroy);
            }

            long ussMedian = median(uss);
            long eightGiB = 8L << 30;
            long sharedBase = 256L << 20; // the base's memory file, in the page cache once for every clone
            System.out.printf("microvm driver (%s), %d MiB guests%n", driver.acceleration(), 256);
            System.out.printf("  cold boot to agent ready:        median %7.1f ms (%d boots)%n", ms(median(boots)), BOOTS);
            System.out.printf("  base save (x-ignore-shared):     median %7.1f ms%n", ms(median(saves)));
            System.out.printf("  clone: restore (incoming done):  median %7.1f ms (%d clones)%n", ms(median(restored)), CLONES);
            System.out.printf("  clone: agent ready, new identity median %7.1f ms%n", ms(median(ready)));
            System.out.printf("  clone: first exec output byte:   median %7.1f ms after the clone returned%n", ms(median(firstByte)));
            System.out.printf("  clone() call to first output:    median %7.1f ms%n", ms(median(cloneToOutput)));
            System.out.printf("  per clone, %d alive, after one cat: private guest RAM %.1f MiB, USS %.1f MiB%n",
                    ALIVE, mib(median(idleGuestPrivate)), mib(median(idleUss)));
            System.out.printf("  per clone, after ls -R /:       private guest RAM %.1f MiB, USS %.1f MiB, RSS %.1f MiB%n",
                    mib(median(guestPrivate)), mib(ussMedian), mib(median(rss)));
            long idle = median(idleUss);
            System.out.printf("  clones in 8 GiB: (8 GiB - %d MiB shared base) / USS = %d fresh clones (%.1f MiB),"
                    + " %d busy ones (%.1f MiB)%n", sharedBase >> 20, (eightGiB - sharedBase) / Math.max(1, idle),
                    mib(idle), (eightGiB - sharedBase) / Math.max(1, ussMedian), mib(ussMedian));
        }
    }

    private static long firstByte(MicroVmDriver driver, Sandbox sandbox) throws Exception {
        CompletableFuture<Long> first = new CompletableFuture<>();
        OutputSink sink = (b, o, l) -> first.complete(System.nanoTime());
        driver.exec(sandbox, new Command("echo hi", VmFixture.ENV, Duration.ofSeconds(60), sink, sink)).await();
        return first.get(60, TimeUnit.SECONDS);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static double mib(long bytes) {
        return bytes / 1048576.0;
    }
}
