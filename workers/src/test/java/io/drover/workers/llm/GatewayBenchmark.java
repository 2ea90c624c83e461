package io.drover.workers.llm;

import io.drover.persistence.Database;
import io.drover.persistence.attempt.AttemptTokens;
import io.drover.persistence.job.JobStore;
import io.drover.persistence.job.NewJob;
import io.drover.persistence.subtask.ClaimedSubtask;
import io.drover.persistence.subtask.SubtaskStore;
import io.drover.persistence.testing.TestDatabases;
import io.drover.workers.cost.CostListener;
import io.drover.workers.cost.PriceTable;
import io.drover.workers.testing.UpstreamStandIn;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What the gateway adds to a call: the same calls to the stand-in upstream directly and through the
 * gateway (token lookup with budget figures, forwarding, cost lines written). Reports, never asserts:
 * run it with {@code -Ddrover.benchmark=true} (see docs/llm-gateway.md).
 */
class GatewayBenchmark {
    private static final int RUNS = Integer.getInteger("drover.benchmark.runs", 300);
    private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    @Test
    @EnabledIfSystemProperty(named = "drover.benchmark", matches = "true")
    void gateway_overhead_per_call() throws Exception {
        Database fresh = TestDatabases.fresh();
        // The server pools its connections (Agroal); the test data source opens one per call, which
        // would measure PostgreSQL's backend start instead. Calls here are sequential: one connection.
        Database db = new Database(oneConnection(fresh.dataSource().getConnection()));
        AttemptTokens tokens = new AttemptTokens(db);
        JobStore jobs = new JobStore(db);
        long jobId = jobs.insert(NewJob.of("bench", "{}", "{}", "{}", "test")).id();
        jobs.expand(jobId, List.of("{}"));
        ClaimedSubtask attempt = new SubtaskStore(db).claim("w", 1).get(0);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (UpstreamStandIn upstream = new UpstreamStandIn()) {
            GatewayLedger ledger = new GatewayLedger(tokens, PriceTable::defaults, CostListener.NONE, GatewayMetrics.NONE);
            GatewayServer server = GatewayServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4,
                    new GatewayHandler(Optional.of(new Upstream(URI.create(upstream.baseUrl()),
                            Optional.of(UpstreamStandIn.KEY), Duration.ofSeconds(30))), CallerLookup.attempts(tokens),
                            ledger, GatewayMetrics.NONE));
            try {
                String token = new AttemptGrants(tokens, server::url, server::url).grant(attempt.attemptId())
                        .env(true).get("DROVER_TOKEN");
                long[] lookups = new long[RUNS];
                long[] records = new long[RUNS];
                CallerLookup callers = CallerLookup.attempts(tokens);
                for (int i = 0; i < RUNS; i++) {
                    long start = System.nanoTime();
                    Caller caller = callers.find(token).orElseThrow();
                    lookups[i] = System.nanoTime() - start;
                    start = System.nanoTime();
                    ledger.record(caller, "gpt-4o-mini", new TokenUsage(1000, 200, 300));
                    records[i] = System.nanoTime() - start;
                }
                Arrays.sort(lookups);
                Arrays.sort(records);
                System.out.printf("gateway database work per call: token lookup with budget figures p50 %.2f ms p99 %.2f ms"
                        + " | recording 3 cost lines and the budget check p50 %.2f ms p99 %.2f ms%n", ms(lookups, 50),
                        ms(lookups, 99), ms(records, 50), ms(records, 99));
                report("chat, whole answer", http, upstream.baseUrl(), UpstreamStandIn.KEY, server.url(), token,
                        CHAT + "}");
                report("chat, stream to first byte", http, upstream.baseUrl(), UpstreamStandIn.KEY, server.url(), token,
                        CHAT + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
            } finally {
                server.close();
            }
        }
    }

    private static void report(String what, HttpClient http, String direct, String key, String gateway, String token,
            String body) throws Exception {
        boolean firstByte = body.contains("\"stream\":true");
        long[] straight = times(http, direct, key, body, firstByte);
        long[] through = times(http, gateway, token, body, firstByte);
        System.out.printf("gateway %-28s direct p50 %.2f ms p99 %.2f ms | through the gateway p50 %.2f ms p99 %.2f ms"
                + " | added p50 %.2f ms (%d calls each)%n", what, ms(straight, 50), ms(straight, 99), ms(through, 50),
                ms(through, 99), ms(through, 50) - ms(straight, 50), RUNS);
    }

    private static long[] times(HttpClient http, String base, String token, String body, boolean firstByte)
            throws Exception {
        long[] nanos = new long[RUNS];
        for (int i = -RUNS / 10; i < RUNS; i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/chat/completions"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            long start = System.nanoTime();
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (firstByte) {
                    in.read();
                } else {
                    in.readAllBytes();
                }
                long took = System.nanoTime() - start;
                in.readAllBytes();
                if (i >= 0) {
                    nanos[i] = took;
                }
            }
        }
        Arrays.sort(nanos);
        return nanos;
    }

    /** A data source that lends the same open connection to one caller at a time; close() keeps it open. */
    private static DataSource oneConnection(Connection connection) {
        Connection kept = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        return kept;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static double ms(long[] sorted, int percentile) {
        int index = Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1);
        return sorted[index] / 1e6;
    }
}
