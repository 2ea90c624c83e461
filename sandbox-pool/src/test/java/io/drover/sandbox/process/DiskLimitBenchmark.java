package io.drover.sandbox.process;

import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.Command;
import io.drover.sandbox.OutputSink;
import io.drover.sandbox.Resources;
import io.drover.sandbox.Sandbox;
import io.drover.sandbox.process.disk.DiskLimit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What the disk limit adds to a clone and to a destroy: two drivers in one JVM, one with each
 * sandbox on a loop-mounted 10 GiB ext4 image ({@code drover.pool.disk-limit=loop}), one without
 * ({@code none}), measured in alternation so that both see the same machine. Reports, never asserts:
 * run it with {@code -Ddrover.benchmark=true}.
 */
class DiskLimitBenchmark {
    private static final int RUNS = Integer.getInteger("drover.benchmark.runs", 50);

    @Test
    @EnabledIfSystemProperty(named = "drover.benchmark", matches = "true")
    void print_figures() throws Exception {
        try (DriverFixture limitedRoot = new DriverFixture(); DriverFixture plainRoot = new DriverFixture()) {
            ProcessDriver limited = limitedRoot.driver(ProcessDriverSettings.defaults(limitedRoot.root));
            ProcessDriver plain = plainRoot.driver(ProcessDriverSettings.defaults(plainRoot.root)
                    .withDiskLimit(DiskLimit.NONE, ProcessDriverSettings.DEFAULT_DISK_MB));
            Resources resources = new Resources(256, 1.0, 128);
            BaseSnapshot limitedBase = limited.prepareBase(BaseSpec.of("host"));
            BaseSnapshot plainBase = plain.prepareBase(BaseSpec.of("host"));
            List<Long> cloneLimited = new ArrayList<>();
            List<Long> clonePlain = new ArrayList<>();
            List<Long> destroyLimited = new ArrayList<>();
            List<Long> destroyPlain = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                measure(limited, limitedBase, resources, new ArrayList<>(), new ArrayList<>());
                measure(plain, plainBase, resources, new ArrayList<>(), new ArrayList<>());
            }
            for (int i = 0; i < RUNS; i++) {
                measure(limited, limitedBase, resources, cloneLimited, destroyLimited);
                measure(plain, plainBase, resources, clonePlain, destroyPlain);
            }
            System.out.printf("disk limit, %d runs each (ms)                      median     p99%n", RUNS);
            print("clone, no disk limit (baseline)", clonePlain, clonePlain);
            print("clone, 10 GiB loop-mounted ext4 disk", cloneLimited, clonePlain);
            print("destroy, no disk limit (baseline)", destroyPlain, destroyPlain);
            print("destroy, 10 GiB loop-mounted ext4 disk", destroyLimited, destroyPlain);
        }
    }

    /** A clone, a write to its workspace (so that destroy has something to drop), its destroy. */
    private static void measure(ProcessDriver driver, BaseSnapshot base, Resources resources, List<Long> clones,
            List<Long> destroys) throws Exception {
        long t0 = System.nanoTime();
        Sandbox sandbox = driver.clone(base, resources);
        clones.add(System.nanoTime() - t0);
        driver.exec(sandbox, new Command("head -c 1M /dev/zero > out", Map.of("PATH", "/usr/bin:/bin"),
                Duration.ofSeconds(30), OutputSink.DISCARD, OutputSink.DISCARD)).await();
        t0 = System.nanoTime();
        driver.destroy(sandbox);
        destroys.add(System.nanoTime() - t0);
    }

    private static void print(String name, List<Long> nanos, List<Long> baseline) {
        double median = percentile(nanos, 50);
        System.out.printf("%-50s %7.2f %7.2f   (x%.2f baseline median)%n", name, median, percentile(nanos, 99),
                median / percentile(baseline, 50));
    }

    private static double percentile(List<Long> nanos, int p) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1e6;
    }
}
