package io.drover.sandbox.microvm;

import io.drover.sandbox.BaseBuildLock;
import io.drover.sandbox.BaseSetupFailed;
import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.Command;
import io.drover.sandbox.ExecResult;
import io.drover.sandbox.SandboxException;
import io.drover.sandbox.microvm.agent.AgentChannels;
import io.drover.sandbox.microvm.agent.AgentExecution;
import io.drover.sandbox.microvm.guest.GuestImage;
import io.drover.sandbox.microvm.qemu.QemuVm;
import io.drover.sandbox.process.base.SetupLog;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Base VMs on disk, one directory per base: {@code <hash>-<guest id>-<MB>m/} holding the guest
 * RAM ({@code memory.ram}, written through a shared mapping while the base ran), the device
 * state saved with {@code x-ignore-shared} ({@code state}, some tens of KB), the disk
 * ({@code disk.qcow2}, read-only from then on: clones put an overlay on it) and
 * {@code base.properties}. The VM had a placeholder for a clone's own disk ({@link CloneDisk}), so
 * that the saved state has that device. A base is built in a staging directory and appears in one rename.
 */
final class BaseVms {
    private static final Logger LOG = LoggerFactory.getLogger(BaseVms.class);
    static final String MEMORY = "memory.ram";
    static final String STATE = "state";
    static final String DISK = "disk.qcow2";
    private static final String METADATA = "base.properties";

    private final Path bases;
    private final Machine machine;
    private final BaseBuildLock lock;
    private final MicroVmSettings settings;
    private final String owner;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "microvm-setup-timeouts");
        t.setDaemon(true);
        return t;
    });

    /** How the last base build went: cold boot until the agent answered, and the save. For benchmarks. */
    volatile Duration lastBoot = Duration.ZERO;
    volatile Duration lastSave = Duration.ZERO;

    BaseVms(Path bases, Machine machine, MicroVmSettings settings, String owner) throws IOException {
        this.bases = Files.createDirectories(bases);
        this.machine = machine;
        this.lock = settings.buildLock();
        this.settings = settings;
        this.owner = owner;
    }

    /** Staging directories are {@code .building.<owner>.<random>}, so that reclaim can tell whose they are. */
    static Optional<String> stagingOwner(String name) {
        String[] parts = name.split("\\.");
        return parts.length == 4 && parts[1].equals("building") ? Optional.of(parts[2]) : Optional.empty();
    }

    private Path dirOf(String hash, GuestImage guest) {
        return bases.resolve(hash + "-" + guest.id() + "-" + machine.memoryMb() + "m");
    }

    Optional<BaseSnapshot> find(BaseSpec spec, GuestImage guest) {
        Path dir = dirOf(spec.hash(), guest);
        Path metadata = dir.resolve(METADATA);
        if (!Files.isRegularFile(metadata)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(metadata)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + metadata, e);
        }
        return Optional.of(new BaseSnapshot(spec.hash(), spec, dir, Long.parseLong(p.getProperty("sizeBytes", "0")),
                Duration.ofMillis(Long.parseLong(p.getProperty("buildMillis", "0")))));
    }

    /** The base of {@code spec}, built on the guest image, which the first prepare builds when it is missing. */
    BaseSnapshot prepare(BaseSpec spec) throws SandboxException {
        GuestImage guest = machine.guest();
        return lock.once(spec, s -> find(s, guest), s -> build(s, guest));
    }

    /** Boots a VM, runs the setup in it, saves it: RAM stays in its memory file, device state to a file. */
    private BaseSnapshot build(BaseSpec spec, GuestImage guest) throws SandboxException, InterruptedException {
        long start = System.nanoTime();
        Path staging = bases.resolve(".building." + owner + "." + UUID.randomUUID().toString().substring(0, 8));
        QemuVm vm = null;
        String name = "base-" + spec.hash().substring(0, 12);
        LOG.info("Building microVM base {} ({} setup steps): cold boot of {}", spec.hash(), spec.setup().size(), name);
        try (SetupLog log = new SetupLog(Files.createDirectories(staging).resolve("setup.log"))) {
            try (RandomAccessFile memory = new RandomAccessFile(staging.resolve(MEMORY).toFile(), "rw")) {
                memory.setLength(machine.memoryMb() * 1024L * 1024L);
            }
            VmFiles.run(staging, "qemu-img", "create", "-q", "-f", "qcow2", "-b", guest.workspace().toString(),
                    "-F", "qcow2", DISK);
            AgentChannels channels = new AgentChannels();
            Path placeholder = CloneDisk.placeholder(staging);
            vm = QemuVm.start(machine.args(guest, staging.resolve(MEMORY).toAbsolutePath(), true,
                    staging.resolve(DISK).toAbsolutePath(), placeholder.toAbsolutePath()), staging, false, channels, name);
            vm.agent().awaitReady(settings.bootTimeout());
            long booted = System.nanoTime();
            for (String step : spec.setup()) {
                log.line("$ " + step);
                ExecResult result = run(vm, channels, new Command(step, environment(spec), settings.setupTimeout(), log,
                        log));
                if (!result.succeeded()) {
                    LOG.warn("MicroVM base {} not built: setup step '{}' ended {} with {}; the next prepare retries it",
                            spec.hash(), step, result.termination(), result.exitCode());
                    throw new BaseSetupFailed(step, result.exitCode(), log.tail());
                }
            }
            vm.agent().sync(Duration.ofMinutes(1));
            long saveStart = System.nanoTime();
            vm.save(staging.resolve(STATE), true, Duration.ofMinutes(2));
            vm.quit(false);
            vm = null;
            Files.delete(placeholder); // each clone brings its own
            lastBoot = Duration.ofNanos(booted - start);
            lastSave = Duration.ofNanos(System.nanoTime() - saveStart);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            LOG.info("MicroVM base {}: booted in {} ms, setup {} ms, saved in {} ms", spec.hash(),
                    (booted - start) / 1_000_000, (saveStart - booted) / 1_000_000,
                    (System.nanoTime() - saveStart) / 1_000_000);
            return commit(spec, guest, staging, took);
        } catch (IOException | java.util.concurrent.TimeoutException e) {
            throw new SandboxException("could not build the microVM base " + spec.hash() + ": " + e.getMessage()
                    + (vm != null ? "; guest console: " + QemuVm.tail(staging.resolve("console.log")) : ""), e);
        } finally {
            if (vm != null) {
                vm.kill();
            }
            if (Files.exists(staging)) {
                VmFiles.deleteTree(staging);
            }
        }
    }

    private ExecResult run(QemuVm vm, AgentChannels channels, Command command) throws IOException, InterruptedException {
        AgentExecution execution = new AgentExecution(command, e -> {
            try {
                vm.agent().kill(e.channel());
            } catch (IOException ex) {
                LOG.warn("Could not kill a setup step: {}", ex.getMessage());
            }
        }, e -> channels.close(e.channel()));
        int channel = channels.open(execution);
        execution.started(channel, timers);
        vm.agent().exec(channel, "/workspace", command.script(), command.env(), execution.merged());
        return execution.await();
    }

    private BaseSnapshot commit(BaseSpec spec, GuestImage guest, Path staging, Duration took) throws IOException {
        long size = VmFiles.sizeOf(staging.resolve(STATE)) + VmFiles.sizeOf(staging.resolve(DISK))
                + VmFiles.sizeOf(staging.resolve(MEMORY));
        Properties p = new Properties();
        p.setProperty("hash", spec.hash());
        p.setProperty("image", spec.image());
        p.setProperty("guest", guest.id());
        p.setProperty("memoryMb", Integer.toString(machine.memoryMb()));
        p.setProperty("setupSteps", Integer.toString(spec.setup().size()));
        p.setProperty("sizeBytes", Long.toString(size));
        p.setProperty("buildMillis", Long.toString(took.toMillis()));
        p.setProperty("builtAt", Instant.now().toString());
        try (Writer out = Files.newBufferedWriter(staging.resolve(METADATA))) {
            p.store(out, "Drover microVM base; read-only: clones map memory.ram privately and overlay disk.qcow2");
        }
        Path dir = dirOf(spec.hash(), guest);
        Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
        LOG.info("MicroVM base {} ready in {}: {} bytes, built in {} ms", spec.hash(), dir, size, took.toMillis());
        return new BaseSnapshot(spec.hash(), spec, dir, size, took);
    }

    /** Removes every base of {@code hash} (of any guest image or memory size); returns the bytes freed. */
    long delete(String hash) throws IOException {
        if (!hash.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a base hash: " + hash);
        }
        long freed = 0;
        try (Stream<Path> entries = Files.list(bases)) {
            for (Path dir : entries.filter(p -> p.getFileName().toString().startsWith(hash + "-")).toList()) {
                Path doomed = bases.resolve(".deleting-" + UUID.randomUUID().toString().substring(0, 8));
                long size = VmFiles.sizeOf(dir);
                try {
                    Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
                } catch (NoSuchFileException e) {
                    continue;
                }
                VmFiles.deleteTree(doomed);
                freed += size;
            }
        }
        return freed;
    }

    void close() {
        timers.shutdownNow();
    }

    private static Map<String, String> environment(BaseSpec spec) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("LANG", "C.UTF-8");
        env.put("HOME", "/root");
        env.putAll(spec.setupEnv());
        return env;
    }
}
