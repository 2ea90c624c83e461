package io.drover.orchestrator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
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
import org.awaitility.Awaitility;

/** The packaged Drover application in a process of its own, to be killed, frozen and restarted. */
public final class DroverProcess implements AutoCloseable {
    private final List<String> command = new ArrayList<>();
    private final Path log;
    private final int port;
    private final Map<String, String> environment = new java.util.HashMap<>();
    private Process process;

    public DroverProcess(String jdbcUrl, Path dataDir, Path log, Map<String, String> settings) {
        this.log = log;
        this.port = freePort();
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-Dquarkus.datasource.jdbc.url=" + jdbcUrl, "-Dquarkus.datasource.username=postgres",
                "-Ddrover.data-dir=" + dataDir, "-Dquarkus.http.port=" + port, "-Ddrover.llm.gateway.port=0",
                "-Ddrover.worker.poll-interval=200ms", "-Ddrover.worker.heartbeat-interval=500ms",
                "-Ddrover.worker.stale-after=3s", "-Ddrover.admin-token=" + PostgresResource.ADMIN_TOKEN,
                // These processes run process sandboxes only: no microVM canary boot at each start.
                "-Ddrover.sandbox.microvm.enabled=false"));
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", System.getProperty("drover.app.jar")));
    }

    /** Runs the process with {@code PATH} set to {@code path}, e.g. to take a program away from it alone. */
    public DroverProcess withPath(String path) {
        environment.put("PATH", path);
        return this;
    }

    /** Starts the process and waits until it is ready for work. */
    public DroverProcess start() {
        return start("/q/health/ready");
    }

    /** Starts the process and waits until {@code healthPath} answers 200. */
    public DroverProcess start(String healthPath) {
        launch();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> !process.isAlive() || status(healthPath) == 200);
        if (!process.isAlive()) {
            throw new IllegalStateException("Drover exited at start-up; the end of its log:\n" + tail());
        }
        return this;
    }

    /** Starts the process without waiting for anything. */
    public DroverProcess launch() {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** The exit code of a process that ends by itself (run mode), within {@code timeout}. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("Drover did not exit within " + timeout + "; the end of its log:\n" + tail());
        }
        return process.exitValue();
    }

    public long pid() {
        return process.pid();
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** SIGKILL: no shutdown hook runs, running attempts are left as they were. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public void freeze() {
        signal("STOP");
    }

    public void thaw() {
        signal("CONT");
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            thaw();
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private void signal(String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** GET {@code path} of this process's HTTP port. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url() + path))
                .header("Authorization", "Bearer " + PostgresResource.ADMIN_TOKEN)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POST a JSON body to {@code path} of this process's HTTP port. */
    public HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url() + path))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + PostgresResource.ADMIN_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Submits a JSON job spec and returns the new job's id; anything but 201 fails the caller's test. */
    public long submit(String specJson) throws IOException, InterruptedException {
        HttpResponse<String> response = post("/api/v1/jobs", specJson);
        if (response.statusCode() != 201) {
            throw new IllegalStateException("expected 201 for the job, got " + response.statusCode() + ": "
                    + response.body());
        }
        return Long.parseLong(response.body().replaceAll(".*\"id\":(\\d+).*", "$1"));
    }

    private int status(String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url() + path))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
