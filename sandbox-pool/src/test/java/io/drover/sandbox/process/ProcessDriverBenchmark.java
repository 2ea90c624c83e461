package io.drover.sandbox.process;

import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.Command;
import io.drover.sandbox.Execution;
import io.drover.sandbox.OutputSink;
import io.drover.sandbox.Resources;
import io.drover.sandbox.Sandbox;
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
 * Prints latency figures of the process driver next to a plain fork/exec measured in the same JVM.
 * Reports, never asserts: run it with {@code -Ddrover.benchmark=true} (see docs/sandboxes.md).
 */
class ProcessDriverBenchmark {
    private static final int RUNS = Integer.getInteger("drover.benchmark.runs", 50);
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin");

    @Test
    @EnabledIfSystemProperty(named = "drover.benchmark", matches = "true")
    void print_figures() throws Exception {
        main(new String[0]);
    }

    public static void main(String[] args) throws Exception {
        try (DriverFixture fixture = new DriverFixture()) {
            ProcessDriver driver = fixture.driver();
            BaseSnapshot base = driver.prepareBase(new BaseSpec("host", List.of("mkdir -p /workspace/app"), Map.of()));
            Resources resources = new Resources(256, 1.0, 128);
            warmUp(driver, base, resources);

            List<Long> forkExec = new ArrayList<>();
            List<Long> cloneTimes = new ArrayList<>();
            List<Long> execTrue = new ArrayList<>();
            List<Long> standbyToFirstByte = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                long t0 = System.nanoTime();
                new ProcessBuilder("true").start().waitFor();
                forkExec.add(System.nanoTime() - t0);

                t0 = System.nanoTime();
                Sandbox sandbox = driver.clone(base, resources);
                cloneTimes.add(System.nanoTime() - t0);

                t0 = System.nanoTime();
                driver.exec(sandbox, command("true", OutputSink.DISCARD)).await();
                execTrue.add(System.nanoTime() - t0);

                driver.standby(sandbox);
                CompletableFuture<Long> firstByte = new CompletableFuture<>();
                t0 = System.nanoTime();
                Execution echo = driver.exec(sandbox, command("echo x", (b, o, l) -> firstByte.complete(System.nanoTime())));
                standbyToFirstByte.add(firstByte.get(30, TimeUnit.SECONDS) - t0);
                echo.await();
                driver.destroy(sandbox);
            }
            System.out.printf("process driver, %d runs each (ms)            median     p99%n", RUNS);
            print("fork/exec of true, no sandbox (baseline)", forkExec, forkExec);
            print("clone from base", cloneTimes, forkExec);
            print("exec of true in a clone", execTrue, forkExec);
            print("standby -> first byte of exec output", standbyToFirstByte, forkExec);
        }
    }

    private static void warmUp(ProcessDriver driver, BaseSnapshot base, Resources resources) throws Exception {
        for (int i = 0; i < 5; i++) {
            Sandbox sandbox = driver.clone(base, resources);
            driver.exec(sandbox, command("true", OutputSink.DISCARD)).await();
            driver.destroy(sandbox);
            new ProcessBuilder("true").start().waitFor();
        }
    }

    private static Command command(String script, OutputSink out) {
        return new Command(script, ENV, Duration.ofSeconds(30), out, OutputSink.DISCARD);
    }

    private static void print(String name, List<Long> nanos, List<Long> baseline) {
        double median = percentile(nanos, 50);
        System.out.printf("%-45s %7.2f %7.2f   (x%.1f baseline median)%n", name, median, percentile(nanos, 99),
                median / percentile(baseline, 50));
    }

    private static double percentile(List<Long> nanos, int p) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1e6;
    }
}
