package io.drover.orchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.orchestrator.testing.DroverProcess;
import io.drover.orchestrator.testing.PostgresResource;
import io.drover.orchestrator.testing.Sql;
import io.drover.persistence.testing.TestDatabases;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * A worker process with the api role, a worker-only process and an api-only process on one
 * database: sandboxes and logs that live in a worker are used through any replica; once the
 * workers are killed, they answer 410 naming them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ForwardingIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Map<String, String> CLUSTER = Map.of("drover.cluster.gone-after", "3s",
            "drover.cluster.heartbeat-interval", "1s");

    private Path temp;
    private DataSource ds;
    private DroverProcess worker;
    private DroverProcess api;
    private DroverProcess worker2;
    private String workerId;
    private String worker2Id;
    private boolean killed;

    @BeforeAll
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void start() throws Exception {
        temp = Files.createTempDirectory("drover-forwarding-it");
        String database = TestDatabases.empty();
        ds = TestDatabases.server().dataSource(database);
        String url = TestDatabases.server().jdbcUrl(database);
        worker = new DroverProcess(url, temp.resolve("worker"), temp.resolve("worker.log"),
                with("drover.roles", "api,worker,scheduler")).start();
        worker2 = new DroverProcess(url, temp.resolve("worker2"), temp.resolve("worker2.log"),
                with("drover.roles", "worker")).start();
        api = new DroverProcess(url, temp.resolve("api"), temp.resolve("api.log"), with("drover.roles", "api")).start();
        workerId = Sql.text(ds, "SELECT id FROM instance WHERE roles = 'api,worker,scheduler'");
        worker2Id = Sql.text(ds, "SELECT id FROM instance WHERE roles = 'worker'");
    }

    @AfterAll
    void stop() throws Exception {
        if (killed) {
            // The killed workers come back on their data dirs once: start-up reclaims the mounts,
            // network namespaces and cgroups their sandboxes left behind.
            worker.start();
            worker2.start();
        }
        try (DroverProcess a = api; DroverProcess w = worker; DroverProcess w2 = worker2) {
            // all closed, the api replica first
        } finally {
            try (Stream<Path> files = Files.walk(temp)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void a_sandbox_opened_through_one_replica_is_used_and_deleted_through_the_other() throws Exception {
        JsonPath opened = open(worker);
        String id = opened.getString("id");
        String token = opened.getString("token");

        HttpResponse<String> exec = exec(api, id, token, "echo hi > note.txt; cat note.txt; exit 3");
        assertThat(exec.statusCode()).isEqualTo(200);
        assertThat(exec.headers().firstValue(Forwarding.SERVED_BY)).hasValue(workerId);
        assertThat(JsonPath.from(exec.body()).getInt("exitCode")).isEqualTo(3);
        assertThat(JsonPath.from(exec.body()).getString("stdout")).isEqualTo("hi\n");

        List<Long> arrivals = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        HttpResponse<Stream<String>> streamed = HTTP.send(request(api, "/api/v1/sandboxes/" + id + "/exec", token)
                .header("Accept", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString("{\"command\": \"echo first; sleep 2; echo last\"}")).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(streamed.statusCode()).isEqualTo(200);
        assertThat(streamed.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/x-ndjson"));
        streamed.body().forEach(line -> {
            lines.add(line);
            arrivals.add(System.nanoTime());
        });
        assertThat(lines).startsWith("{\"stdout\":\"first\\n\"}", "{\"stdout\":\"last\\n\"}");
        assertThat(JsonPath.from(lines.get(lines.size() - 1)).getInt("exitCode")).isZero();
        assertThat(arrivals.get(1) - arrivals.get(0)).as("the first line came through while the command slept")
                .isGreaterThan(Duration.ofMillis(1500).toNanos());

        assertThat(exec(api, id, "wrong", "true").statusCode()).as("the token is checked on the api replica")
                .isEqualTo(401);
        HttpResponse<String> status = send(api, "GET", "/api/v1/sandboxes/" + id, token);
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(JsonPath.from(status.body()).getString("id")).isEqualTo(id);

        HttpResponse<String> again = HTTP.send(request(api, "/api/v1/sandboxes/" + id, token)
                .header(Forwarding.FORWARDED_BY, "some-replica").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).as("a forwarded request is not forwarded again").isEqualTo(404);
        assertThat(again.body()).contains("is owned by instance " + workerId).contains("not forwarded again");

        String address = Sql.text(ds, "SELECT address FROM instance WHERE id = '" + workerId + "'");
        update("UPDATE instance SET address = 'http://127.0.0.1:1' WHERE id = '" + workerId + "'");
        HttpResponse<String> unreachable = exec(api, id, token, "true");
        update("UPDATE instance SET address = '" + address + "' WHERE id = '" + workerId + "'");
        assertThat(unreachable.statusCode()).as("the owner is live but does not answer").isEqualTo(503);
        assertThat(JsonPath.from(unreachable.body()).getString("detail")).contains("instance " + workerId)
                .contains("http://127.0.0.1:1");

        printLatency(id, token);

        assertThat(send(api, "DELETE", "/api/v1/sandboxes/" + id, token).statusCode()).isEqualTo(204);
        assertThat(send(worker, "GET", "/api/v1/sandboxes/" + id, token).statusCode()).isEqualTo(404);
        assertThat(send(api, "GET", "/api/v1/sandboxes/" + id, token).statusCode()).isEqualTo(404);
        assertThat(Sql.text(ds, "SELECT state FROM sandbox WHERE id = '" + id + "'")).isEqualTo("CLOSED");
    }

    @Test
    @Order(2)
    void sandboxes_opened_through_the_api_only_replica_go_to_the_worker_with_the_fewest_open() throws Exception {
        List<String> owners = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> response = HTTP.send(request(api, "/api/v1/sandboxes", null)
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            JsonPath opened = JsonPath.from(response.body());
            String id = opened.getString("id");
            String token = opened.getString("token");
            assertThat(response.headers().firstValue("Location")).hasValue("/api/v1/sandboxes/" + id);
            String owner = Sql.text(ds, "SELECT owner FROM sandbox WHERE id = '" + id + "'");
            assertThat(response.headers().firstValue(Forwarding.SERVED_BY)).hasValue(owner);
            owners.add(owner);

            HttpResponse<String> viaApi = exec(api, id, token, "echo via-api");
            assertThat(viaApi.headers().firstValue(Forwarding.SERVED_BY)).hasValue(owner);
            assertThat(JsonPath.from(viaApi.body()).getString("stdout")).isEqualTo("via-api\n");
            // through the worker that has the api role: here or forwarded on to the worker-only process
            assertThat(JsonPath.from(exec(worker, id, token, "echo via-worker").body()).getString("stdout"))
                    .isEqualTo("via-worker\n");
        }
        assertThat(owners).as("one on each worker").containsExactlyInAnyOrder(workerId, worker2Id);
        assertThat(worker2.get("/api/v1/jobs").statusCode()).as("the worker-only process serves no other API")
                .isEqualTo(404);
    }

    @Test
    @Order(3)
    void a_log_is_read_through_either_replica() throws Exception {
        long job = api.submit(spec("seq 1 2000"));
        await().atMost(Duration.ofSeconds(60)).until(() -> "SUCCEEDED".equals(jobState(job)));
        String ranOn = Sql.text(ds, "SELECT owner FROM attempt WHERE job_id = " + job);

        HttpResponse<String> throughWorker = worker.get("/api/v1/jobs/" + job + "/subtasks/0/log");
        HttpResponse<String> throughApi = api.get("/api/v1/jobs/" + job + "/subtasks/0/log");

        assertThat(throughWorker.statusCode()).as(throughWorker.body()).isEqualTo(200);
        assertThat(throughApi.statusCode()).as(throughApi.body()).isEqualTo(200);
        assertThat(throughApi.headers().firstValue(Forwarding.SERVED_BY)).hasValue(ranOn);
        assertThat(throughWorker.headers().firstValue(Forwarding.SERVED_BY)).hasValue(ranOn);
        assertThat(throughApi.body()).isEqualTo(throughWorker.body()).startsWith("1\n2\n").contains("\n2000\n");
    }

    @Test
    @Order(4)
    void once_the_owning_workers_are_killed_and_gone_their_sandboxes_and_logs_answer_410_naming_them()
            throws Exception {
        long job = api.submit(spec("echo before-the-kill"));
        await().atMost(Duration.ofSeconds(60)).until(() -> "SUCCEEDED".equals(jobState(job)));
        String ranOn = Sql.text(ds, "SELECT owner FROM attempt WHERE job_id = " + job);
        JsonPath opened = open(worker);
        String id = opened.getString("id");
        String token = opened.getString("token");
        long openBefore = Sql.scalar(ds, "SELECT count(*) FROM sandbox WHERE closed_at IS NULL");

        worker.kill();
        worker2.kill();
        killed = true;

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                .until(() -> send(api, "GET", "/api/v1/sandboxes/" + id, token).statusCode() == 410);
        HttpResponse<String> gone = exec(api, id, token, "true");
        assertThat(gone.statusCode()).isEqualTo(410);
        JsonPath problem = JsonPath.from(gone.body());
        assertThat(problem.getString("type")).isEqualTo("urn:drover:problem:owner-gone");
        assertThat(problem.getString("detail")).contains("instance " + workerId).contains("last seen at");
        assertThat(exec(api, id, "wrong", "true").statusCode()).as("still only to its token").isEqualTo(401);

        // The attempt may have run on the other worker, which is seen gone on its own heartbeat's clock.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                .until(() -> api.get("/api/v1/jobs/" + job + "/subtasks/0/log").statusCode() == 410);
        HttpResponse<String> log = api.get("/api/v1/jobs/" + job + "/subtasks/0/log");
        assertThat(log.statusCode()).isEqualTo(410);
        assertThat(JsonPath.from(log.body()).getString("detail")).contains(ranOn).contains("outputTail");

        await().atMost(Duration.ofSeconds(20)).until(() -> Sql.scalar(ds,
                "SELECT count(*) FROM sandbox WHERE state = 'LOST'") == openBefore);
        assertThat(api.log()).contains("Sandbox " + id).contains("which is gone: it is marked LOST");
        assertThat(send(api, "GET", "/api/v1/sandboxes/" + id, token).statusCode()).as("lost: still 410")
                .isEqualTo(410);
    }

    /** Median exec round trip of a no-op, straight to the owner and through the api replica. */
    private void printLatency(String id, String token) throws Exception {
        int runs = 20;
        long[] local = new long[runs];
        long[] forwarded = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            assertThat(exec(worker, id, token, "true").statusCode()).isEqualTo(200);
            long t1 = System.nanoTime();
            assertThat(exec(api, id, token, "true").statusCode()).isEqualTo(200);
            local[i] = t1 - t0;
            forwarded[i] = System.nanoTime() - t1;
        }
        java.util.Arrays.sort(local);
        java.util.Arrays.sort(forwarded);
        System.out.printf("exec of 'true', %d runs: at the owner p50 %.1f ms, through the api replica p50 %.1f ms"
                + " (+%.1f ms)%n", runs, local[runs / 2] / 1e6, forwarded[runs / 2] / 1e6,
                (forwarded[runs / 2] - local[runs / 2]) / 1e6);
    }

    private static JsonPath open(DroverProcess process) throws IOException, InterruptedException {
        HttpResponse<String> response = process.post("/api/v1/sandboxes", "{}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JsonPath.from(response.body());
    }

    private static HttpResponse<String> exec(DroverProcess process, String id, String token, String command)
            throws IOException, InterruptedException {
        return HTTP.send(request(process, "/api/v1/sandboxes/" + id + "/exec", token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"command\": \"" + command + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(DroverProcess process, String method, String path, String token)
            throws IOException, InterruptedException {
        return HTTP.send(request(process, path, token).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(DroverProcess process, String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(process.url() + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json");
        return b.header("Authorization", "Bearer " + (token == null ? PostgresResource.ADMIN_TOKEN : token));
    }

    private void update(String sql) throws Exception {
        try (var c = ds.getConnection(); var st = c.createStatement()) {
            st.executeUpdate(sql);
        }
    }

    private String jobState(long job) throws Exception {
        return Sql.text(ds, "SELECT state FROM job WHERE id = " + job);
    }

    private static String spec(String command) {
        return "{\"metadata\": {\"name\": \"logs\"}, \"spec\": {\"fanout\": {\"items\": [1]},"
                + " \"task\": {\"command\": \"" + command + "\"}}}";
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> settings = new java.util.HashMap<>(CLUSTER);
        settings.put(key, value);
        return settings;
    }
}
