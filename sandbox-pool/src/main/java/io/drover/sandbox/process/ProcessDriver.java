package io.drover.sandbox.process;

import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.Command;
import io.drover.sandbox.Execution;
import io.drover.sandbox.Resources;
import io.drover.sandbox.Sandbox;
import io.drover.sandbox.SandboxDriver;
import io.drover.sandbox.SandboxException;
import io.drover.sandbox.SandboxState;
import io.drover.sandbox.Usage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each command with {@code bash -c} as its own process group in a private working directory
 * under {@code root}. It isolates nothing beyond the working directory and the environment: the
 * namespace, overlay and cgroup isolation of the process driver is described in docs/ as the next
 * step, and this class says so in its log at start-up.
 */
public final class ProcessDriver implements SandboxDriver {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessDriver.class);

    private final Path root;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "process-driver-timeouts");
        t.setDaemon(true);
        return t;
    });

    public ProcessDriver(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root.resolve("sandboxes"));
            reclaimOrphans();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use " + root + " as the sandbox root", e);
        }
        LOG.info("Process sandbox driver ready in {}: commands run with bash -c in a private working directory"
                + " (no namespace, overlay or cgroup isolation yet)", root);
    }

    @Override
    public String name() {
        return "process";
    }

    @Override
    public BaseSnapshot prepareBase(BaseSpec spec) throws SandboxException {
        if (!"host".equals(spec.image())) {
            throw new SandboxException("image " + spec.image() + ": the process driver runs on the host image only");
        }
        if (!spec.setup().isEmpty()) {
            throw new SandboxException("setup: base snapshots with setup commands are not supported by this driver yet");
        }
        return new BaseSnapshot(spec.hash(), spec, root.resolve("bases").resolve(spec.hash()), 0, Duration.ZERO);
    }

    @Override
    public Sandbox clone(BaseSnapshot base, Resources resources) throws SandboxException {
        String id = "sb-" + UUID.randomUUID();
        Path directory = root.resolve("sandboxes").resolve(id);
        try {
            Files.createDirectories(directory.resolve("work"));
        } catch (IOException e) {
            throw new SandboxException("could not create the sandbox directory " + directory, e);
        }
        return new ProcessSandbox(id, base, resources, directory);
    }

    @Override
    public Execution exec(Sandbox handle, Command command) throws SandboxException {
        ProcessSandbox sandbox = own(handle);
        if (sandbox.state() == SandboxState.DESTROYED) {
            throw new SandboxException("sandbox " + sandbox.id() + " was destroyed");
        }
        if (sandbox.state() == SandboxState.STANDBY) {
            resume(sandbox);
        }
        ProcessBuilder builder = new ProcessBuilder("setsid", "bash", "-c", command.script())
                .directory(sandbox.directory().resolve("work").toFile());
        builder.environment().clear();
        builder.environment().putAll(command.env());
        builder.environment().putIfAbsent("PATH", "/usr/local/bin:/usr/bin:/bin");
        builder.environment().putIfAbsent("HOME", sandbox.directory().resolve("work").toString());
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        // One sink for both streams means one log: a single pipe keeps the order the command wrote in.
        builder.redirectErrorStream(command.stdout() == command.stderr());
        try {
            Process process = builder.start();
            sandbox.moveTo(SandboxState.ACTIVE);
            ProcessExecution[] self = new ProcessExecution[1];
            self[0] = new ProcessExecution(process, command, timers, () -> {
                sandbox.running.remove(self[0]);
                if (sandbox.running.isEmpty() && sandbox.state() == SandboxState.ACTIVE) {
                    sandbox.moveTo(SandboxState.WARM);
                }
            });
            sandbox.running.add(self[0]);
            return self[0];
        } catch (IOException e) {
            throw new SandboxException("could not start bash in sandbox " + sandbox.id() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void standby(Sandbox handle) {
        ProcessSandbox sandbox = own(handle);
        sandbox.running.forEach(e -> ProcessGroups.signal(e.groupId(), "STOP"));
        sandbox.moveTo(SandboxState.STANDBY);
    }

    @Override
    public void resume(Sandbox handle) {
        ProcessSandbox sandbox = own(handle);
        sandbox.running.forEach(e -> ProcessGroups.signal(e.groupId(), "CONT"));
        sandbox.moveTo(sandbox.running.isEmpty() ? SandboxState.WARM : SandboxState.ACTIVE);
    }

    @Override
    public void destroy(Sandbox handle) {
        ProcessSandbox sandbox = own(handle);
        if (sandbox.state() == SandboxState.DESTROYED) {
            return;
        }
        sandbox.running.forEach(ProcessExecution::kill);
        sandbox.moveTo(SandboxState.DESTROYED);
        deleteTree(sandbox.directory());
    }

    @Override
    public Usage usage(Sandbox handle) {
        ProcessSandbox sandbox = own(handle);
        return new Usage(sandbox.activeTime(), sandbox.standbyTime(), Optional.empty(),
                sandbox.resources().memoryBytes(), OptionalLong.empty(), OptionalLong.of(sizeOf(sandbox.directory())));
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }

    private void reclaimOrphans() throws IOException {
        try (Stream<Path> leftovers = Files.list(root.resolve("sandboxes"))) {
            leftovers.forEach(dir -> {
                LOG.info("Reclaiming sandbox directory {} left by a previous run", dir.getFileName());
                deleteTree(dir);
            });
        }
    }

    private static ProcessSandbox own(Sandbox sandbox) {
        if (sandbox instanceof ProcessSandbox own) {
            return own;
        }
        throw new IllegalArgumentException("sandbox " + sandbox.id() + " belongs to another driver");
    }

    static long sizeOf(Path directory) {
        if (!Files.exists(directory)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    static void deleteTree(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Could not remove {}: {}", directory, e.getMessage());
        }
    }
}
