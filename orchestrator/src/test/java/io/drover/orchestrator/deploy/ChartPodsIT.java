package io.drover.orchestrator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.orchestrator.testing.DroverProcess;
import io.drover.orchestrator.testing.Sql;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The chart's own pod specs, rendered with helm and read into typed objects, run as containers of
 * the image {@code ./drover image} builds: PostgreSQL 15 (Debian's, on the same base), one API pod
 * and two worker pods (the DaemonSet's pod on two "nodes"), all on the host's network with ports
 * of their own, so that every connection stays on loopback. Plain {@code docker run}s from the
 * rendered specs rather than Testcontainers: the translation from pod spec to container is the
 * thing under test and stays visible in one place ({@link PodRun}), and nothing needs to be pulled.
 */
class ChartPodsIT {
    private static final String PG_IMAGE = "drover-test/postgres:15";
    private static final String VERSION = System.getProperty("drover.version", "0.1.0-SNAPSHOT");
    private static final String IMAGE = "drover:" + VERSION;
    private static final int CAPACITY = 4;

    @TempDir
    Path temp;

    private final List<String> containers = new ArrayList<>();
    private final List<String> builtImages = new ArrayList<>();
    private final String run = "drover-it-" + ProcessHandle.current().pid();

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void the_charts_pods_run_jobs_and_a_killed_worker_loses_no_subtask_and_runs_none_twice() throws Exception {
        String why = Docker.unreachable();
        Assumptions.assumeTrue(why.isEmpty(), "no Docker engine reachable (" + why + "): the container test of the"
                + " chart's pods needs one; .ci/run starts it");
        long start = System.nanoTime();
        boolean passed = false;
        try {
            images();
            int pgPort = freePort();
            start(List.of("run", "-d", "--name", run + "-postgres", "--network", "host", "-e", "PGPORT=" + pgPort,
                    PG_IMAGE));
            String jdbc = "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres";
            DataSource db = dataSource(jdbc);
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> Sql.scalar(db, "SELECT 1") == 1);

            Manifests release = Chart.render(values(jdbc));
            PodSpec apiPod = release.one(Deployment.class, "drover-api").getSpec().getTemplate().getSpec();
            PodSpec workerPod = release.one(DaemonSet.class, "drover-worker").getSpec().getTemplate().getSpec();
            Pod api = pod("api", apiPod, release);
            api.awaitReady(); // Flyway migrates here, before the workers come
            Pod w1 = pod("worker-1", workerPod, release);
            Pod w2 = pod("worker-2", workerPod, release);
            w1.awaitReady();
            w2.awaitReady();

            long hello = api.submit(sleepy(8, "0"));
            await().atMost(Duration.ofSeconds(90)).until(() -> api.jobState(hello).equals("SUCCEEDED"));

            int n = 48;
            long t0 = System.nanoTime();
            long timed = api.submit(sleepy(n, "0.2"));
            await().atMost(Duration.ofSeconds(180)).until(() -> api.jobState(timed).equals("SUCCEEDED"));
            double onContainers = n / seconds(t0);

            int big = 40;
            long killed = api.submit(sleepy(big, "2"));
            long w1Pid = w1.hostPid();
            await().atMost(Duration.ofSeconds(120)).until(() -> Sql.scalar(db, "SELECT count(*) FROM attempt a JOIN"
                    + " subtask s ON s.id = a.subtask_id WHERE s.job_id = " + killed + " AND a.state = 'RUNNING'"
                    + " AND a.owner LIKE '%:" + w1Pid + ":%'") > 0 && Sql.scalar(db, "SELECT count(*) FROM subtask"
                    + " WHERE job_id = " + killed + " AND state = 'SUCCEEDED'") >= 4);
            Docker.run(List.of("kill", w1.name()));
            await().atMost(Duration.ofSeconds(180)).until(() -> api.jobState(killed).equals("SUCCEEDED"));

            assertThat(Sql.scalar(db, "SELECT count(*) FROM subtask WHERE job_id = " + killed + " AND state = 'SUCCEEDED'"))
                    .isEqualTo(big);
            assertThat(Sql.scalar(db, "SELECT count(*) FROM (SELECT s.id FROM subtask s LEFT JOIN attempt a ON"
                    + " a.subtask_id = s.id AND a.state = 'SUCCEEDED' WHERE s.job_id = " + killed + " GROUP BY s.id"
                    + " HAVING count(a.id) <> 1) AS wrong")).as("subtasks without exactly one SUCCEEDED attempt").isZero();
            assertThat(Sql.scalar(db, "SELECT count(*) FROM attempt a JOIN subtask s ON s.id = a.subtask_id WHERE"
                    + " s.job_id = " + killed + " AND a.state = 'LOST' AND a.owner LIKE '%:" + w1Pid + ":%'"))
                    .as("attempts lost with the killed worker").isPositive();
            long w2Pid = w2.hostPid();
            assertThat(Sql.scalar(db, "SELECT count(*) FROM attempt WHERE owner NOT LIKE '%:" + w1Pid + ":%' AND"
                    + " owner NOT LIKE '%:" + w2Pid + ":%'")).as("attempts that ran elsewhere than on the workers").isZero();

            // The killed pod comes back (as its DaemonSet would make it again) and reclaims what its
            // predecessor's sandboxes left on the node.
            Docker.run(List.of("start", w1.name()));
            w1.awaitReady();
            assertThat(Docker.run(List.of("logs", w1.name()))).containsPattern("reclaimed [1-9][0-9]* dead drivers' sandboxes");

            double onOneProcess = oneProcess(db, pgPort, n);
            System.out.printf("ChartPodsIT throughput, %d subtasks of 'sleep 0.2': containers (1 api + 2 workers of"
                    + " capacity %d) %.2f subtasks/s; one process (all roles, capacity %d) %.2f subtasks/s%n",
                    n, CAPACITY, onContainers, 2 * CAPACITY, onOneProcess);
            passed = true;
        } finally {
            for (String c : containers) {
                Docker.exec(60, List.of("stop", "-t", "20", c));
                Docker.exec(60, List.of("rm", "-f", c));
            }
            if (!passed) {
                for (String image : builtImages) {
                    Docker.exec(60, List.of("rmi", image));
                }
            }
            System.out.printf("ChartPodsIT took %.0f s%n", seconds(start));
        }
    }

    /** The same job on one Drover process on the host with the workers' total capacity, on a database of its own. */
    private double oneProcess(DataSource db, int pgPort, int n) throws Exception {
        try (Connection c = db.getConnection()) {
            c.createStatement().execute("CREATE DATABASE single");
        }
        try (DroverProcess single = new DroverProcess("jdbc:postgresql://127.0.0.1:" + pgPort + "/single",
                temp.resolve("single"), temp.resolve("single.log"),
                Map.of("drover.worker.capacity", Integer.toString(2 * CAPACITY))).start()) {
            DataSource singleDb = dataSource("jdbc:postgresql://127.0.0.1:" + pgPort + "/single");
            long t0 = System.nanoTime();
            long job = single.submit(sleepy(n, "0.2"));
            await().atMost(Duration.ofSeconds(180))
                    .until(() -> Sql.text(singleDb, "SELECT state FROM job WHERE id = " + job).equals("SUCCEEDED"));
            return n / seconds(t0);
        }
    }

    private Map<String, Object> values(String jdbc) {
        Map<String, Object> values = new LinkedHashMap<>(Chart.external(jdbc));
        values.put("database.username", "postgres"); // trust authentication on loopback: the password is unused
        values.put("image.tag", VERSION);
        values.put("image.pullPolicy", "Never");
        values.put("api.replicas", 1);
        values.put("worker.capacity", CAPACITY);
        values.put("config.workerPollInterval", "500ms");
        values.put("config.workerHeartbeatInterval", "1s");
        values.put("config.workerStaleAfter", "5s");
        return values;
    }

    /** Builds the image (./drover image --prebuilt: the app this build just packaged) and the PostgreSQL image. */
    private void images() throws IOException, InterruptedException {
        Path root = Chart.dir().getParent().getParent();
        boolean had = Docker.imageExists(IMAGE);
        Process p = new ProcessBuilder(root.resolve("drover").toString(), "image", "--prebuilt").directory(root.toFile())
                .redirectErrorStream(true).redirectOutput(temp.resolve("image.log").toFile()).start();
        if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("./drover image --prebuilt failed: " + java.nio.file.Files.readString(temp.resolve("image.log")));
        }
        if (!had) {
            builtImages.add(IMAGE);
        }
        String base = System.getenv().getOrDefault("DROVER_BASE_IMAGE", "drover-base/bookworm-minbase:latest");
        String before = Docker.imageExists(PG_IMAGE) ? Docker.run(List.of("image", "inspect", "-f", "{{.Id}}", PG_IMAGE)) : "";
        if (before.isEmpty()) {
            builtImages.add(PG_IMAGE);
        }
        String after = Docker.run(900, List.of("build", "-q", "--network", "host", "--build-arg", "BASE=" + base, "-t",
                PG_IMAGE, root.resolve("orchestrator/src/test/resources/containers/postgres").toString()));
        if (!before.isEmpty() && !after.endsWith(before.replace("sha256:", ""))) {
            Docker.exec(60, List.of("rmi", before)); // the one this build replaced (a new base), untagged now
        }
    }

    private Pod pod(String role, PodSpec spec, Manifests release) throws IOException {
        String name = run + "-" + role;
        int port = freePort();
        // Host networking: each pod its own ports, and its listener on loopback, not on the host's addresses.
        Map<String, String> ports = Map.of("DROVER_PORT", Integer.toString(port),
                "DROVER_LLM_GATEWAY_PORT", Integer.toString(freePort()), "DROVER_HOST", "127.0.0.1");
        start(PodRun.args(name, spec, release, ports, temp.resolve("pods")));
        String admin = new String(java.util.Base64.getDecoder().decode(release.one(
                io.fabric8.kubernetes.api.model.Secret.class, "drover-admin").getData().get("token")),
                java.nio.charset.StandardCharsets.UTF_8);
        return new Pod(name, port, admin);
    }

    private void start(List<String> args) throws IOException {
        containers.add(args.get(args.indexOf("--name") + 1));
        Docker.run(120, args);
    }

    private static String sleepy(int items, String sleep) {
        String list = IntStream.rangeClosed(1, items).mapToObj(Integer::toString).collect(Collectors.joining(","));
        return "{\"metadata\": {\"name\": \"pods\"}, \"spec\": {\"fanout\": {\"items\": [" + list + "]},"
                + " \"task\": {\"command\": \"sleep " + sleep + "; echo ${item}\", \"timeout\": \"1m\"}}}";
    }

    private static DataSource dataSource(String jdbc) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(jdbc);
        ds.setUser("postgres");
        return ds;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** One pod's container, reached on its own port of the loopback, with the release's admin token. */
    private record Pod(String name, int port, String adminToken) {
        void awaitReady() throws IOException {
            try {
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                        .until(() -> !running() || status("/q/health/ready") == 200);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(name + " not ready: " + tail(), e);
            }
            if (!running()) {
                throw new AssertionError(name + " exited: " + tail());
            }
        }

        private boolean running() throws IOException {
            return Docker.run(List.of("inspect", "-f", "{{.State.Running}}", name)).equals("true");
        }

        private String tail() throws IOException {
            return Docker.exec(30, List.of("logs", "--tail", "40", name)).output();
        }

        /** The JVM's pid on the host: the container's first process, exec'd by the image's entrypoint. */
        long hostPid() throws IOException {
            return Long.parseLong(Docker.run(List.of("inspect", "-f", "{{.State.Pid}}", name)));
        }

        long submit(String json) throws IOException, InterruptedException {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri("/api/v1/jobs"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + adminToken).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) {
                throw new AssertionError("expected 201 from " + name + ", got " + r.statusCode() + ": " + r.body());
            }
            return Long.parseLong(r.body().replaceAll(".*\"id\":(\\d+).*", "$1"));
        }

        String jobState(long id) throws IOException, InterruptedException {
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri("/api/v1/jobs/" + id))
                    .header("Authorization", "Bearer " + adminToken).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return body.replaceAll("(?s).*?\"state\":\"([A-Z_]+)\".*", "$1");
        }

        private int status(String path) {
            try {
                return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                return -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        private URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }
    }
}
