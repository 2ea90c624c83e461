package io.drover.orchestrator.api;

import static io.restassured.RestAssured.given;

import io.drover.orchestrator.auth.Tokens;
import io.drover.orchestrator.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What authentication adds to a request: the check alone ({@link Tokens#authenticate}) for the
 * admin token (a digest compared in memory) and for a tenant's token (one indexed lookup in a
 * transaction), and the same GET through HTTP with each, alternated in one run. Not a test of
 * speed: it prints figures. Run with {@code -Dbenchmark.auth=true} (not drover.*: Drover refuses unknown keys of its own; docs/benchmarks.md, P12).
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@EnabledIfSystemProperty(named = "benchmark.auth", matches = "true")
class AuthBenchmark {
    private static final int RUNS = Integer.getInteger("benchmark.runs", 2000);

    @Inject
    Tokens tokens;

    @Test
    void what_authentication_adds_to_a_request() throws Exception {
        String tenant = given().contentType("application/json").body(Map.of("tenant", "bench", "role", "read"))
                .post("/api/v1/tokens").then().statusCode(201).extract().jsonPath().getString("token");
        String admin = PostgresResource.ADMIN_TOKEN;
        HttpClient http = HttpClient.newHttpClient();
        URI jobs = URI.create("http://127.0.0.1:" + RestAssured.port + "/api/v1/jobs?limit=1");
        URI health = URI.create("http://127.0.0.1:" + RestAssured.port + "/q/health/live");
        long[] checkAdmin = new long[RUNS];
        long[] checkTenant = new long[RUNS];
        long[] getAdmin = new long[RUNS];
        long[] getTenant = new long[RUNS];
        long[] getOpen = new long[RUNS];
        for (int warm = 0; warm < 300; warm++) {
            tokens.authenticate(tenant);
            send(http, jobs, tenant);
        }
        for (int i = 0; i < RUNS; i++) {
            checkAdmin[i] = time(() -> tokens.authenticate(admin));
            checkTenant[i] = time(() -> tokens.authenticate(tenant));
            getAdmin[i] = time(() -> send(http, jobs, admin));
            getTenant[i] = time(() -> send(http, jobs, tenant));
            getOpen[i] = time(() -> send(http, health, null));
        }
        System.out.printf("%nP12 authentication, %d runs each, alternated (p50 / p99, ms)%n", RUNS);
        print("check, admin token (digest in memory)", checkAdmin);
        print("check, tenant token (lookup in PostgreSQL)", checkTenant);
        print("GET /api/v1/jobs?limit=1, admin token", getAdmin);
        print("GET /api/v1/jobs?limit=1, tenant token", getTenant);
        print("GET /q/health/live, no token (no check)", getOpen);
        System.out.printf("tenant token - admin token over HTTP, p50: %+.3f ms%n",
                (p(getTenant, 50) - p(getAdmin, 50)) / 1e6);
    }

    private static void send(HttpClient http, URI uri, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<Void> r = http.send(b.build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(uri + " answered " + r.statusCode());
        }
    }

    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    private static long time(Step step) throws Exception {
        long start = System.nanoTime();
        step.run();
        return System.nanoTime() - start;
    }

    private static double p(long[] nanos, int percentile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)];
    }

    private static void print(String what, long[] nanos) {
        System.out.printf("  %-45s %7.3f / %7.3f%n", what, p(nanos, 50) / 1e6, p(nanos, 99) / 1e6);
    }
}
