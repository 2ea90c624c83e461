package io.drover.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The packaged Drover server as a user runs it: its own process, its embedded PostgreSQL in a fresh
 * data directory, the process sandbox driver, and the admin token it makes into
 * {@code <data-dir>/admin-token} at its first start. One for the whole test run: started by the
 * first test that asks, stopped (and its data directory removed) when the run ends.
 */
public final class DroverServer implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    private final Path dataDir;
    private final Path log;
    private final int port;
    private final Process process;

    private DroverServer() throws IOException {
        Path jar = Path.of(System.getProperty("drover.app.jar", "../orchestrator/target/quarkus-app/quarkus-run.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no Drover server at " + jar + ": build it first"
                    + " (mvn -B package -pl orchestrator -am -DskipTests; a full mvn verify builds it before cli)");
        }
        // Searchable by others, so that sandboxes reach their root (docs/sandboxes.md, RootDoor).
        dataDir = Files.createTempDirectory("drover-cli-it", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx--x--x")));
        log = dataDir.resolve("server.log");
        port = freePort();
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "-Ddrover.data-dir=" + dataDir, "-Dquarkus.http.port=" + port, "-Ddrover.llm.gateway.port=0",
                "-Ddrover.worker.poll-interval=200ms", "-Ddrover.sandbox.microvm.enabled=false",
                "-Ddrover.pool.disk-limit=none", "-jar", jar.toAbsolutePath().toString());
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(300))
                    .until(() -> !process.isAlive() || ready());
        } catch (RuntimeException e) {
            close();
            throw new IllegalStateException("Drover did not get ready; the end of its log:\n" + tail(), e);
        }
        if (!process.isAlive()) {
            String tail = tail();
            close();
            throw new IllegalStateException("Drover exited at start-up; the end of its log:\n" + tail);
        }
    }

    /** The run's server, started on first use. */
    public static DroverServer get(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(DroverServer.class, k -> {
                    try {
                        return new DroverServer();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, DroverServer.class);
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The admin token the server made at its first start. */
    public String adminToken() {
        try {
            return Files.readString(dataDir.resolve("admin-token")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean ready() {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200
                    && Files.isRegularFile(dataDir.resolve("admin-token"));
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try (var files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // left in the temp directory: nothing runs from it any more
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
