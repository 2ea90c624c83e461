package io.drover.bench;

import io.drover.persistence.Database;
import io.drover.persistence.job.JobStore;
import io.drover.persistence.job.NewJob;
import io.drover.persistence.subtask.SubtaskStore;
import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.Command;
import io.drover.sandbox.OutputSink;
import io.drover.sandbox.Resources;
import io.drover.sandbox.Sandbox;
import io.drover.sandbox.SandboxDriver;
import io.drover.sandbox.process.ProcessDriver;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * Drover's benchmarks, each beside a baseline measured in the same run on the same machine.
 * {@code --quick} (what CI runs) uses small sizes and only shows the harness works; the default
 * (full) mode produces the figures recorded in docs/benchmarks.md. Benchmarks report, never assert.
 */
public final class BenchMain {
    record Sizes(int p1Subtasks, int runs, int p3Samples, int p7Subtasks, int p5Warm, Duration p5Idle, int p6Sandboxes,
            int p4Subtasks, int p4Commits, int p10Runs, int p10Megabytes) {
        static final Sizes QUICK = new Sizes(500, 1, 20, 100, 2, Duration.ofSeconds(3), 10, 8, 20, 1, 4);
        static final Sizes FULL = new Sizes(10_000, 3, 200, 1_000, 8, Duration.ofSeconds(20), 200, 100, 300, 5, 40);
    }

    private static final int SLOTS = 8;

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        boolean onlyP5 = List.of(args).contains("--only-p5");
        if (List.of(args).contains("--only-p9")) {
            Report report = new Report();
            try (BenchDatabase databases = new BenchDatabase()) {
                ClaimScaling.run(report, databases, (quick ? Sizes.QUICK : Sizes.FULL).p1Subtasks() * 2);
            }
            System.out.println(report.markdown());
            return;
        }
        if (List.of(args).contains("--only-p10")) {
            Report report = new Report();
            Path temp = Files.createTempDirectory("drover-bench");
            try (BenchDatabase databases = new BenchDatabase()) {
                Sizes sizes = quick ? Sizes.QUICK : Sizes.FULL;
                BaseTransfer.run(report, databases, temp, sizes.p10Runs(), sizes.p10Megabytes());
            } finally {
                deleteTree(temp);
            }
            System.out.println(report.markdown());
            return;
        }
        if (onlyP5 || List.of(args).contains("--only-p8")) {
            Report report = new Report();
            Sizes sizes = quick ? Sizes.QUICK : Sizes.FULL;
            Path temp = Files.createTempDirectory("drover-bench");
            try (ProcessDriver process = new ProcessDriver(temp.resolve("sandboxes"))) {
                if (onlyP5) {
                    SandboxBenchmarks.idleBilling(report, process, sizes.p5Warm(), sizes.p5Idle());
                } else {
                    SandboxBenchmarks.warmLease(report, process, sizes.p3Samples());
                }
            } finally {
                deleteTree(temp);
            }
            System.out.println(report.markdown());
            return;
        }
        Report report = run(quick ? Sizes.QUICK : Sizes.FULL);
        System.out.println();
        System.out.println(report.markdown());
    }

    static Report run(Sizes sizes) throws Exception {
        System.out.printf("machine: %d cores, %d MiB memory, %s %s; mode: %s%n", Runtime.getRuntime().availableProcessors(),
                ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                        .getTotalMemorySize() >> 20, System.getProperty("os.name"), System.getProperty("os.version"),
                sizes == Sizes.QUICK ? "quick" : "full");
        Report report = new Report();
        Path temp = Files.createTempDirectory("drover-bench");
        try (BenchDatabase databases = new BenchDatabase()) {
            orchestration(report, databases, sizes, temp);
            claimLatency(report, databases, sizes);
            ClaimScaling.run(report, databases, sizes.p1Subtasks() * 2);
            try (ProcessDriver process = new ProcessDriver(temp.resolve("sandboxes"))) {
                newSandbox(report, process, sizes);
                SandboxBenchmarks.standbyToFirstByte(report, process, sizes.p3Samples());
                SandboxBenchmarks.warmLease(report, process, sizes.p3Samples());
                SandboxBenchmarks.idleBilling(report, process, sizes.p5Warm(), sizes.p5Idle());
                SandboxBenchmarks.density(report, process, sizes.p6Sandboxes());
                SetupAmortization.run(report, databases, process, sizes.p4Subtasks(), sizes.p4Commits(), SLOTS,
                        temp.resolve("p4-logs"));
                overhead(report, databases, process, sizes, temp);
            }
            BaseTransfer.run(report, databases, temp, sizes.p10Runs(), sizes.p10Megabytes());
        } finally {
            deleteTree(temp);
        }
        return report;
    }

    /** P1: n no-op subtasks end to end through PostgreSQL, against db-scheduler's n no-op tasks. */
    private static void orchestration(Report report, BenchDatabase databases, Sizes sizes, Path temp) throws Exception {
        List<Double> drover = new ArrayList<>();
        List<Double> peer = new ArrayList<>();
        for (int run = 0; run < sizes.runs(); run++) {
            drover.add(DroverWorkers.run(databases.freshDrover(), new NoOpSandboxDriver(), "true", sizes.p1Subtasks(),
                    SLOTS, temp.resolve("p1-logs")).seconds());
            peer.add(DbSchedulerBaseline.run(databases.fresh(), sizes.p1Subtasks(), SLOTS));
        }
        double d = Stats.median(drover);
        double p = Stats.median(peer);
        report.add("P1", sizes.p1Subtasks() + " no-op subtasks end to end, " + SLOTS + " slots (median of " + sizes.runs()
                        + ")", String.format("%.2f s (%.0f/s)", d, sizes.p1Subtasks() / d),
                String.format("db-scheduler %.2f s (%.0f/s)", p, sizes.p1Subtasks() / p), Report.ratio(d, p) + " time");
    }

    /** P1 (latency): the claim statement itself, batches of SLOTS from a job with n pending subtasks. */
    private static void claimLatency(Report report, BenchDatabase databases, Sizes sizes) {
        Database db = databases.freshDrover();
        JobStore jobs = new JobStore(db);
        long id = jobs.insert(NewJob.of("claims", "{}", "{}", "{}", "bench")).id();
        jobs.expand(id, IntStream.range(0, sizes.p1Subtasks()).mapToObj(i -> "{}").toList());
        SubtaskStore subtasks = new SubtaskStore(db);
        Stats claims = new Stats();
        for (int i = 0; i < sizes.p1Subtasks() / SLOTS; i++) {
            long t = System.nanoTime();
            subtasks.claim("bench", SLOTS);
            claims.addNanos(System.nanoTime() - t);
        }
        report.add("P1", "claim of " + SLOTS + " subtasks (one statement + job lock), p50 / p99",
                Report.ms(claims.median()) + " / " + Report.ms(claims.percentile(99)), "-", "-");
    }

    /** P3: a new sandbox from a base snapshot, against fork/exec of `true` with no sandbox. */
    private static void newSandbox(Report report, SandboxDriver driver, Sizes sizes) throws Exception {
        BaseSnapshot base = driver.prepareBase(BaseSpec.of("host"));
        Stats clone = new Stats();
        Stats fork = new Stats();
        for (int i = 0; i < sizes.p3Samples(); i++) {
            long t = System.nanoTime();
            Sandbox sandbox = driver.clone(base, Resources.DEFAULT);
            clone.addNanos(System.nanoTime() - t);
            driver.destroy(sandbox);
            t = System.nanoTime();
            new ProcessBuilder("true").start().waitFor();
            fork.addNanos(System.nanoTime() - t);
        }
        report.add("P3", "new sandbox from a base (" + driver.name() + " driver), p50 / p99",
                Report.ms(clone.median()) + " / " + Report.ms(clone.percentile(99)),
                "fork/exec true " + Report.ms(fork.median()) + " / " + Report.ms(fork.percentile(99)),
                Report.ratio(clone.median(), fork.median()) + " p50");
    }

    /** P7: n `true` subtasks through Drover, against running them in the same kind of sandboxes directly. */
    private static void overhead(Report report, BenchDatabase databases, SandboxDriver driver, Sizes sizes, Path temp)
            throws Exception {
        List<Double> drover = new ArrayList<>();
        List<Double> direct = new ArrayList<>();
        for (int run = 0; run < sizes.runs(); run++) {
            drover.add(DroverWorkers.run(databases.freshDrover(), driver, "true", sizes.p7Subtasks(), SLOTS,
                    temp.resolve("p7-logs")).seconds());
            direct.add(direct(driver, sizes.p7Subtasks()));
        }
        double d = Stats.median(drover);
        double b = Stats.median(direct);
        report.add("P7", sizes.p7Subtasks() + " `true` subtasks, " + SLOTS + " slots (median of " + sizes.runs() + ")",
                String.format("%.2f s", d), String.format("direct in sandboxes %.2f s", b),
                Report.ratio(d, b) + String.format(" (+%.2f ms/subtask)", (d - b) * 1000 / sizes.p7Subtasks()));
    }

    private static double direct(SandboxDriver driver, int n) throws Exception {
        BaseSnapshot base = driver.prepareBase(BaseSpec.of("host"));
        ExecutorService pool = Executors.newFixedThreadPool(SLOTS);
        long start = System.nanoTime();
        List<Future<?>> runs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            runs.add(pool.submit(() -> {
                Sandbox sandbox = driver.clone(base, Resources.DEFAULT);
                try {
                    return driver.exec(sandbox, new Command("true", Map.of(), Duration.ofMinutes(1), OutputSink.DISCARD,
                            OutputSink.DISCARD)).await();
                } finally {
                    driver.destroy(sandbox);
                }
            }));
        }
        for (Future<?> run : runs) {
            run.get();
        }
        pool.shutdown();
        return (System.nanoTime() - start) / 1e9;
    }

    private static void deleteTree(Path root) throws Exception {
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
