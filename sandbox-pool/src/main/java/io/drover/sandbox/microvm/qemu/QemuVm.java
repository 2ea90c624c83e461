package io.drover.sandbox.microvm.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.sandbox.microvm.agent.AgentChannels;
import io.drover.sandbox.microvm.agent.AgentConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One running QEMU process in its own directory, with its QMP connection and its guest agent
 * connection. A VM outlives this object when it is saved: standby quits the process after
 * writing the state, and a new QemuVm restores it.
 */
public final class QemuVm implements AutoCloseable {
    private static final int UNIX_PATH_MAX = 107;

    private final Path dir;
    private final Process process;
    private final QmpClient qmp;
    private final AgentConnection agent;

    private QemuVm(Path dir, Process process, QmpClient qmp, AgentConnection agent) {
        this.dir = dir;
        this.process = process;
        this.qmp = qmp;
        this.agent = agent;
    }

    /**
     * Starts QEMU in {@code dir} and connects to it. With {@code incoming}, the VM waits for
     * {@link #restore}; otherwise it boots the kernel.
     */
    public static QemuVm start(QemuArgs args, Path dir, boolean incoming, AgentChannels channels, String name)
            throws IOException, InterruptedException {
        for (String socket : List.of(QemuArgs.QMP, QemuArgs.AGENT)) {
            Path path = dir.resolve(socket).toAbsolutePath();
            if (path.toString().length() > UNIX_PATH_MAX) {
                throw new IOException("the socket path " + path + " is longer than a unix socket path may be ("
                        + UNIX_PATH_MAX + " bytes); choose a shorter drover data directory");
            }
            Files.deleteIfExists(path);
        }
        Process process = new ProcessBuilder(args.argv(incoming)).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("qemu.log").toFile()).start();
        QmpClient qmp = null;
        try {
            qmp = connectQmp(dir.resolve(QemuArgs.QMP), process, dir);
            AgentConnection agent = AgentConnection.connect(dir.resolve(QemuArgs.AGENT), channels, name);
            return new QemuVm(dir, process, qmp, agent);
        } catch (IOException | RuntimeException | InterruptedException e) {
            if (qmp != null) {
                qmp.close();
            }
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            throw e;
        }
    }

    private static QmpClient connectQmp(Path socket, Process process, Path dir) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("QEMU exited with " + process.exitValue() + " at start: " + tail(dir.resolve("qemu.log")));
            }
            if (Files.exists(socket)) {
                try {
                    return QmpClient.connect(socket);
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                }
            } else if (System.nanoTime() > deadline) {
                throw new IOException("QEMU did not open its QMP socket within 20 s: " + tail(dir.resolve("qemu.log")));
            }
            Thread.sleep(5);
        }
    }

    public AgentConnection agent() {
        return agent;
    }

    public long pid() {
        return process.pid();
    }

    public Path dir() {
        return dir;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Loads a saved state into a VM started with {@code incoming}; the VM runs once it returns. */
    public void restore(Path state, boolean ignoreShared, Duration timeout) throws IOException, InterruptedException {
        restore(state, ignoreShared, timeout, () -> { });
    }

    /** What to do to a restored VM before its guest runs again. */
    @FunctionalInterface
    public interface BeforeRunning {
        void run() throws IOException, InterruptedException;
    }

    /**
     * As {@link #restore(Path, boolean, Duration)}, with {@code beforeRunning} done while the loaded
     * guest is still paused (e.g. {@link #resize}: the guest then meets the new size as it resumes).
     */
    public void restore(Path state, boolean ignoreShared, Duration timeout, BeforeRunning beforeRunning)
            throws IOException, InterruptedException {
        qmp.execute("migrate-set-capabilities", Map.of("capabilities",
                List.of(Map.of("capability", "x-ignore-shared", "state", ignoreShared))));
        qmp.execute("migrate-incoming", Map.of("uri", "exec:cat " + shellQuote(state)));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String migration = qmp.execute("query-migrate").path("status").asText("");
            if (migration.equals("failed")) {
                throw new IOException("QEMU could not restore " + state + ": " + tail(dir.resolve("qemu.log")));
            }
            JsonNode status = qmp.execute("query-status");
            if (status.path("running").asBoolean(false)) {
                beforeRunning.run();
                return;
            }
            if (status.path("status").asText().equals("paused")) {
                beforeRunning.run();
                qmp.execute("cont"); // the state was saved from a stopped VM, so it loads stopped
                return;
            }
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new IOException("QEMU did not restore " + state + " within " + timeout.toSeconds() + " s (status "
                        + status.path("status").asText() + "): " + tail(dir.resolve("qemu.log")));
            }
            Thread.sleep(2);
        }
    }

    /**
     * Tells the guest that a drive has {@code bytes} now: QEMU raises the virtio config interrupt, and
     * the guest kernel reads the capacity again. A restored guest kept the size its base's drive had.
     */
    public void resize(String drive, long bytes) throws IOException {
        qmp.execute("block_resize", Map.of("device", drive, "size", bytes));
    }

    /**
     * Stops the guest and writes its state to {@code state}. With {@code ignoreShared}, RAM in a
     * shared memory file is left out (it is in the file); otherwise every page goes to the state.
     */
    public void save(Path state, boolean ignoreShared, Duration timeout) throws IOException, InterruptedException {
        qmp.execute("stop");
        qmp.execute("migrate-set-capabilities", Map.of("capabilities",
                List.of(Map.of("capability", "x-ignore-shared", "state", ignoreShared))));
        qmp.execute("migrate", Map.of("uri", "exec:cat > " + shellQuote(state)));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode info = qmp.execute("query-migrate");
            String status = info.path("status").asText("");
            if (status.equals("completed")) {
                return;
            }
            if (status.equals("failed") || status.equals("cancelled")) {
                throw new IOException("QEMU could not save the VM to " + state + ": "
                        + info.path("error-desc").asText(status));
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("saving the VM to " + state + " took over " + timeout.toSeconds() + " s");
            }
            Thread.sleep(2);
        }
    }

    /** What the QEMU process uses now; empty figures once it is gone. */
    public ProcessFigures figures() {
        return ProcessFigures.of(process.pid(), "memory.ram");
    }

    /**
     * Ends the QEMU process: {@code quit} over QMP, then a kill if it lingers. {@code planned}
     * keeps the agent's open channels for the VM's next process (standby).
     */
    public void quit(boolean planned) {
        if (planned) {
            agent.expectEnd(); // QEMU's exit ends the agent stream after whatever it still had to send
        } else {
            agent.close(false);
        }
        try {
            qmp.execute("quit");
        } catch (IOException e) {
            // gone already, or about to be killed
        }
        qmp.close();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        if (planned) {
            agent.awaitEnd(Duration.ofSeconds(5));
        }
    }

    /** Kills the process at once (destroy: nothing of the guest is kept). */
    public void kill() {
        process.destroyForcibly();
        agent.close(false);
        qmp.close();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }

    static String shellQuote(Path path) {
        return "'" + path.toAbsolutePath().toString().replace("'", "'\\''") + "'";
    }

    public static String tail(Path log) {
        try {
            String text = Files.readString(log);
            return text.length() > 2000 ? "..." + text.substring(text.length() - 2000) : text;
        } catch (IOException e) {
            return "(no " + log.getFileName() + ")";
        }
    }
}
