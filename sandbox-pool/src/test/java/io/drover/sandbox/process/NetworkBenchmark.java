package io.drover.sandbox.process;

import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.Command;
import io.drover.sandbox.Execution;
import io.drover.sandbox.NetworkPolicy;
import io.drover.sandbox.OutputSink;
import io.drover.sandbox.Resources;
import io.drover.sandbox.Sandbox;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What a network of its own adds to a sandbox start: clone, then the first byte of a command's
 * output, per network policy, with the loopback-only start as the baseline, all in one JVM and
 * interleaved so that load from elsewhere hits every policy alike. Also the cost of a command in
 * an already started sandbox (joining its namespace). Reports, never asserts: run it with
 * {@code -Ddrover.benchmark=true -Dtest=NetworkBenchmark} (see docs/sandboxes.md).
 */
class NetworkBenchmark {
    private static final int RUNS = Integer.getInteger("drover.benchmark.runs", 30);
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin");

    @Test
    @EnabledIfSystemProperty(named = "drover.benchmark", matches = "true")
    void print_figures() throws Exception {
        try (DriverFixture fixture = new DriverFixture(); ServerSocket gateway = new ServerSocket(0, 50,
                InetAddress.getLoopbackAddress())) {
            ProcessDriver plain = fixture.driver();
            ProcessDriver withGateway = fixture.driver(ProcessDriverSettings.defaults(fixture.root)
                    .withGatewayPort(OptionalInt.of(gateway.getLocalPort())));
            Map<String, Start> starts = new LinkedHashMap<>();
            starts.put("none, no gateway (baseline: loopback only)", new Start(plain, NetworkPolicy.NONE));
            starts.put("none + gateway forward", new Start(withGateway, NetworkPolicy.NONE));
            starts.put("egress (+ gateway)", new Start(withGateway, NetworkPolicy.EGRESS));
            starts.put("allow 10.203.0.2:8080 (+ gateway)", new Start(withGateway,
                    NetworkPolicy.allowing(List.of("10.203.0.2:8080"))));
            starts.put("host", new Start(plain, NetworkPolicy.HOST));
            for (Start start : starts.values()) {
                for (int i = 0; i < 3; i++) {
                    start.once();
                }
                start.cloneToFirstByte.clear();
                start.secondExec.clear();
            }
            for (int i = 0; i < RUNS; i++) {
                for (Start start : starts.values()) {
                    start.once();
                }
            }
            List<Long> baseline = starts.values().iterator().next().cloneToFirstByte;
            System.out.printf("sandbox start with networking, %d runs each (ms)                   median     p90   vs baseline%n", RUNS);
            starts.forEach((name, start) -> {
                double median = percentile(start.cloneToFirstByte, 50);
                System.out.printf("clone + first output, %-45s %7.2f %7.2f   %+7.2f ms%n", name, median,
                        percentile(start.cloneToFirstByte, 90), median - percentile(baseline, 50));
            });
            starts.forEach((name, start) -> System.out.printf("later exec of true,   %-45s %7.2f %7.2f%n", name,
                    percentile(start.secondExec, 50), percentile(start.secondExec, 90)));
        }
    }

    private static final class Start {
        final ProcessDriver driver;
        final Resources resources;
        final BaseSnapshot base;
        final List<Long> cloneToFirstByte = new ArrayList<>();
        final List<Long> secondExec = new ArrayList<>();

        Start(ProcessDriver driver, NetworkPolicy policy) throws Exception {
            this.driver = driver;
            this.resources = new Resources(256, 1.0, 128, policy);
            this.base = driver.prepareBase(new BaseSpec("host", List.of("mkdir -p /workspace/app"), Map.of()));
        }

        void once() throws Exception {
            CompletableFuture<Long> firstByte = new CompletableFuture<>();
            long t0 = System.nanoTime();
            Sandbox sandbox = driver.clone(base, resources);
            Execution echo = driver.exec(sandbox, new Command("echo x", ENV, Duration.ofSeconds(30),
                    (b, o, l) -> firstByte.complete(System.nanoTime()), OutputSink.DISCARD));
            cloneToFirstByte.add(firstByte.get(30, TimeUnit.SECONDS) - t0);
            echo.await();
            t0 = System.nanoTime();
            driver.exec(sandbox, new Command("true", ENV, Duration.ofSeconds(30), OutputSink.DISCARD,
                    OutputSink.DISCARD)).await();
            secondExec.add(System.nanoTime() - t0);
            driver.destroy(sandbox);
        }
    }

    private static double percentile(List<Long> nanos, int p) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1e6;
    }
}
