package io.drover.bench;

import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.Command;
import io.drover.sandbox.Execution;
import io.drover.sandbox.OutputSink;
import io.drover.sandbox.Resources;
import io.drover.sandbox.Sandbox;
import io.drover.sandbox.SandboxDriver;
import io.drover.sandbox.pool.PoolListener;
import io.drover.sandbox.pool.PoolSettings;
import io.drover.sandbox.pool.SandboxPool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** P2, P5, P6 and P8: what standby costs and saves, measured on a real driver. */
final class SandboxBenchmarks {
    private static final Resources SMALL = new Resources(256, 1.0, 256);

    private SandboxBenchmarks() {
    }

    /** P2: standby → first byte of an exec's output, against a cold clone from the base + the same exec. */
    static void standbyToFirstByte(Report report, SandboxDriver driver, int samples) throws Exception {
        BaseSnapshot base = driver.prepareBase(BaseSpec.of("host"));
        Stats resumed = new Stats();
        Stats cold = new Stats();
        for (int i = 0; i < samples; i++) {
            Sandbox parked = driver.clone(base, SMALL);
            firstByte(driver, parked);
            driver.standby(parked);
            resumed.addNanos(firstByte(driver, parked));
            driver.destroy(parked);

            long start = System.nanoTime();
            Sandbox fresh = driver.clone(base, SMALL);
            firstByte(driver, fresh);
            cold.addNanos(System.nanoTime() - start);
            driver.destroy(fresh);
        }
        report.add("P2", "standby -> first byte of exec output (" + driver.name() + "), p50 / p99",
                Report.ms(resumed.median()) + " / " + Report.ms(resumed.percentile(99)),
                "cold clone + exec " + Report.ms(cold.median()) + " / " + Report.ms(cold.percentile(99)),
                Report.ratio(resumed.median(), cold.median()) + " p50");
    }

    /**
     * P8: a subtask's lease when the pool has a warm clone of its base ready, against a lease from
     * a pool that keeps none (so the lease clones).
     */
    static void warmLease(Report report, SandboxDriver driver, int samples) throws Exception {
        BaseSnapshot base = driver.prepareBase(BaseSpec.of("host"));
        Stats warm = leaseTimes(driver, base, samples, 1);
        Stats cold = leaseTimes(driver, base, samples, 0);
        report.add("P8", "lease of a warm sandbox (" + driver.name() + "), p50 / p99",
                Report.ms(warm.median()) + " / " + Report.ms(warm.percentile(99)),
                "lease that clones " + Report.ms(cold.median()) + " / " + Report.ms(cold.percentile(99)),
                Report.ratio(warm.median(), cold.median()) + " p50");
    }

    private static Stats leaseTimes(SandboxDriver driver, BaseSnapshot base, int samples, int warm) throws Exception {
        Stats stats = new Stats();
        Duration standbyAfter = Duration.ofMinutes(5);
        PoolSettings settings = new PoolSettings(4, warm, warm, standbyAfter, Duration.ofSeconds(1));
        try (SandboxPool pool = new SandboxPool(driver, settings, Clock.systemUTC(), PoolListener.NONE)) {
            pool.release(pool.lease(base, SMALL, standbyAfter)); // the first use starts the warm top-up
            for (int i = 0; i < samples; i++) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (pool.warm().size() < warm && System.nanoTime() < deadline) {
                    TimeUnit.MILLISECONDS.sleep(2);
                }
                long start = System.nanoTime();
                io.drover.sandbox.pool.Lease lease = pool.lease(base, SMALL, standbyAfter);
                stats.addNanos(System.nanoTime() - start);
                pool.release(lease);
            }
        }
        return stats;
    }

    /** Nanoseconds from the exec call to the first byte of `echo ready`. */
    private static long firstByte(SandboxDriver driver, Sandbox sandbox) throws Exception {
        CountDownLatch first = new CountDownLatch(1);
        OutputSink sink = (b, o, l) -> first.countDown();
        long start = System.nanoTime();
        Execution execution = driver.exec(sandbox, new Command("echo ready", Map.of(), Duration.ofSeconds(30), sink, sink));
        first.await(30, TimeUnit.SECONDS);
        long took = System.nanoTime() - start;
        execution.await();
        return took;
    }

    /**
     * P5: compute billed while a pool sits idle, counted the way clouds bill sandboxes — from
     * creation to destruction, except time in standby — with standby after 1 s, against the same
     * pool whose standby never comes.
     */
    static void idleBilling(Report report, SandboxDriver driver, int warm, Duration idle) throws Exception {
        double withStandby = idleGbSeconds(driver, warm, idle, Duration.ofSeconds(1));
        double without = idleGbSeconds(driver, warm, idle, Duration.ofDays(1));
        report.add("P5", warm + " warm sandboxes x " + SMALL.memoryMb() + " MiB idle " + idle.toSeconds()
                        + " s: billed compute", String.format("%.2f GB-s (standby after 1 s)", withStandby),
                String.format("%.2f GB-s without standby", without), Report.ratio(withStandby, without));
    }

    private static double idleGbSeconds(SandboxDriver driver, int warm, Duration idle, Duration standbyAfter)
            throws Exception {
        BaseSnapshot base = driver.prepareBase(BaseSpec.of("host"));
        PoolSettings settings = new PoolSettings(warm + 1, warm, warm, standbyAfter, Duration.ofMillis(200));
        try (SandboxPool pool = new SandboxPool(driver, settings, Clock.systemUTC(), PoolListener.NONE)) {
            pool.release(pool.lease(base, SMALL, standbyAfter)); // the first use starts the warm top-up
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (pool.warm().size() < warm && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            TimeUnit.NANOSECONDS.sleep(idle.toNanos());
            Instant now = Instant.now();
            double billedSeconds = 0;
            for (SandboxPool.WarmSandbox w : pool.warm()) {
                billedSeconds += Duration.between(w.since(), now).toNanos() / 1e9
                        - w.usage().standbyTime().toNanos() / 1e9;
            }
            return billedSeconds * SMALL.memoryMb() / 1024.0;
        }
    }

    /** P6: sandboxes held in standby, each with a live process, and the host memory each one takes. */
    static void density(Report report, SandboxDriver driver, int count) throws Exception {
        BaseSnapshot base = driver.prepareBase(BaseSpec.of("host"));
        long before = memAvailableKb();
        List<Sandbox> parked = new ArrayList<>();
        List<Execution> sleepers = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                Sandbox sandbox = driver.clone(base, SMALL);
                parked.add(sandbox);
                sleepers.add(driver.exec(sandbox, new Command("sleep 600", Map.of(), Duration.ofMinutes(15),
                        OutputSink.DISCARD, OutputSink.DISCARD)));
            }
            TimeUnit.MILLISECONDS.sleep(500);
            for (Sandbox sandbox : parked) {
                driver.standby(sandbox);
            }
            long after = memAvailableKb();
            double perSandboxKb = (before - after) / (double) count;
            report.add("P6", count + " sandboxes in standby, each with a live process (" + driver.name() + ")",
                    String.format("%.0f KiB host memory each", perSandboxKb), "-",
                    String.format("~%.0f per GiB", 1024.0 * 1024 / Math.max(1, perSandboxKb)));
        } finally {
            parked.forEach(driver::destroy);
        }
    }

    private static long memAvailableKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemAvailable:")) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        throw new IllegalStateException("no MemAvailable in /proc/meminfo");
    }
}
