package io.drover.sandbox.microvm;

import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.Command;
import io.drover.sandbox.Resources;
import io.drover.sandbox.SandboxException;
import io.drover.sandbox.SandboxState;
import io.drover.sandbox.Usage;
import io.drover.sandbox.microvm.agent.AgentExecution;
import io.drover.sandbox.microvm.guest.GuestImage;
import io.drover.sandbox.microvm.qemu.ProcessFigures;
import io.drover.sandbox.microvm.qemu.QemuArgs;
import io.drover.sandbox.microvm.qemu.QemuVm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle of this driver instance's clones, each in {@code <vms>/<owner>/<id>/}: restore
 * from a base (private copy-on-write RAM, qcow2 disk overlay, its own size-limited disk for what
 * /workspace and /tmp get written, fresh identity), commands through the agent, standby by saving
 * the whole VM and ending its QEMU process, resume by restoring it.
 */
final class Clones implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Clones.class);
    static final String OVERLAY = "disk.qcow2";
    static final String STANDBY_STATE = "standby.state";
    private static final Duration RESTORE_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration AGENT_TIMEOUT = Duration.ofMinutes(1);

    private final Path ownerDir;
    private final Machine machine;
    private final Function<Resources, OptionalInt> diskMbOf;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, MicroVmSandbox> live = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "microvm-timeouts");
        t.setDaemon(true);
        return t;
    });

    /** @param diskMbOf the disk of a clone with given resources, in MiB; empty: no limit */
    Clones(Path ownerDir, Machine machine, Function<Resources, OptionalInt> diskMbOf) throws IOException {
        this.ownerDir = Files.createDirectories(ownerDir);
        this.machine = machine;
        this.diskMbOf = diskMbOf;
    }

    MicroVmSandbox create(String id, BaseSnapshot base, Resources resources) throws SandboxException {
        Path dir = ownerDir.resolve(id);
        MicroVmSandbox sandbox = new MicroVmSandbox(id, base, resources, dir);
        GuestImage guest = machine.guest();
        QemuVm vm = null;
        CloneDisk disk = null;
        try {
            Files.createDirectories(dir);
            VmFiles.run(dir, "qemu-img", "create", "-q", "-f", "qcow2", "-b",
                    base.location().resolve(BaseVms.DISK).toAbsolutePath().toString(), "-F", "qcow2", OVERLAY);
            OptionalInt diskMb = diskMbOf.apply(resources);
            // mke2fs runs while QEMU starts and loads the state: the guest reads the disk only when it mounts it.
            disk = diskMb.isPresent() ? CloneDisk.create(dir, diskMb.getAsInt()) : CloneDisk.none(dir);
            long start = System.nanoTime();
            vm = start(sandbox, guest);
            CloneDisk own = disk;
            QemuVm restored = vm;
            vm.restore(base.location().resolve(BaseVms.STATE), true, RESTORE_TIMEOUT, () -> {
                if (own.limited()) {
                    own.awaitFormatted();
                    restored.resize(QemuArgs.SCRATCH_DRIVE, own.bytes());
                }
            });
            sandbox.restoreTime = Duration.ofNanos(System.nanoTime() - start);
            if (disk.limited()) {
                long mountStart = System.nanoTime();
                vm.agent().disk(disk.bytes(), AGENT_TIMEOUT);
                sandbox.diskTime = Duration.ofNanos(System.nanoTime() - mountStart);
                sandbox.disk = disk;
            }
            vm.agent().identity(seed(), id, AGENT_TIMEOUT);
            sandbox.readyTime = Duration.ofNanos(System.nanoTime() - start);
            sandbox.attach(vm);
            live.put(id, sandbox);
            return sandbox;
        } catch (IOException | TimeoutException | RuntimeException e) {
            if (vm != null) {
                vm.kill();
            }
            if (disk != null) {
                disk.abandon();
            }
            VmFiles.deleteTree(dir);
            throw new SandboxException("could not clone sandbox " + id + " from base " + base.hash() + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            if (vm != null) {
                vm.kill();
            }
            if (disk != null) {
                disk.abandon();
            }
            VmFiles.deleteTree(dir);
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while cloning sandbox " + id, e);
        }
    }

    private QemuVm start(MicroVmSandbox sandbox, GuestImage guest) throws IOException, InterruptedException {
        Path memory = sandbox.base().location().resolve(BaseVms.MEMORY).toAbsolutePath();
        return QemuVm.start(machine.args(guest, memory, false, sandbox.dir().resolve(OVERLAY).toAbsolutePath(),
                sandbox.dir().resolve(CloneDisk.FILE).toAbsolutePath()), sandbox.dir(), true, sandbox.channels, sandbox.id());
    }

    private byte[] seed() {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        return seed;
    }

    AgentExecution exec(MicroVmSandbox sandbox, Command command) throws SandboxException {
        synchronized (sandbox.lifecycle) {
            sandbox.requireLive();
            if (sandbox.state() == SandboxState.STANDBY) {
                resume(sandbox);
            }
            AgentExecution execution = new AgentExecution(command, e -> kill(sandbox, e), sandbox::commandEnded);
            int channel = sandbox.channels.open(execution);
            sandbox.running.add(execution);
            execution.started(channel, timers);
            try {
                sandbox.vm().agent().exec(channel, "/workspace", GuestLimits.wrap(command.script(), sandbox.resources()),
                        command.env(), execution.merged());
            } catch (IOException | RuntimeException e) {
                sandbox.running.remove(execution);
                sandbox.channels.close(channel);
                execution.lost("not started");
                throw new SandboxException("could not start a command in sandbox " + sandbox.id() + ": "
                        + e.getMessage(), e);
            }
            sandbox.moveTo(SandboxState.ACTIVE);
            return execution;
        }
    }

    /** Kills a command's session in the guest; a VM in standby is resumed for that. */
    private void kill(MicroVmSandbox sandbox, AgentExecution execution) {
        synchronized (sandbox.lifecycle) {
            if (sandbox.state() == SandboxState.DESTROYED) {
                return;
            }
            try {
                if (sandbox.state() == SandboxState.STANDBY) {
                    resume(sandbox);
                }
                sandbox.vm().agent().kill(execution.channel());
            } catch (IOException | SandboxException e) {
                LOG.warn("Could not kill a command in sandbox {} ({}); destroying the sandbox ends it", sandbox.id(),
                        e.getMessage());
            }
        }
    }

    void standby(MicroVmSandbox sandbox) throws SandboxException {
        synchronized (sandbox.lifecycle) {
            sandbox.requireLive();
            if (sandbox.state() == SandboxState.STANDBY) {
                return;
            }
            QemuVm vm = sandbox.vm();
            try {
                // A ping answered means the agent consumed every frame sent before: none is left in a socket buffer.
                vm.agent().awaitReady(AGENT_TIMEOUT);
                ProcessFigures last = vm.figures();
                vm.save(sandbox.dir().resolve(STANDBY_STATE), false, RESTORE_TIMEOUT);
                sandbox.detach(last);
                vm.quit(true);
            } catch (IOException | TimeoutException e) {
                throw new SandboxException("could not put sandbox " + sandbox.id() + " in standby: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SandboxException("interrupted while putting sandbox " + sandbox.id() + " in standby", e);
            }
            sandbox.moveTo(SandboxState.STANDBY);
        }
    }

    void resume(MicroVmSandbox sandbox) throws SandboxException {
        synchronized (sandbox.lifecycle) {
            sandbox.requireLive();
            if (sandbox.state() != SandboxState.STANDBY) {
                return;
            }
            QemuVm vm = null;
            Path state = sandbox.dir().resolve(STANDBY_STATE);
            GuestImage guest = machine.guest();
            try {
                vm = start(sandbox, guest);
                vm.restore(state, false, RESTORE_TIMEOUT);
                vm.agent().identity(seed(), sandbox.id(), AGENT_TIMEOUT); // the clock above all: time went on
                Files.deleteIfExists(state);
            } catch (IOException | TimeoutException e) {
                if (vm != null) {
                    vm.kill();
                }
                throw new SandboxException("could not resume sandbox " + sandbox.id() + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                if (vm != null) {
                    vm.kill();
                }
                Thread.currentThread().interrupt();
                throw new SandboxException("interrupted while resuming sandbox " + sandbox.id(), e);
            }
            sandbox.attach(vm);
            sandbox.moveTo(sandbox.running.isEmpty() ? SandboxState.WARM : SandboxState.ACTIVE);
        }
    }

    void destroy(MicroVmSandbox sandbox) {
        synchronized (sandbox.lifecycle) {
            if (sandbox.state() == SandboxState.DESTROYED) {
                return;
            }
            sandbox.moveTo(SandboxState.DESTROYED);
        }
        live.remove(sandbox.id());
        QemuVm vm = sandbox.vm();
        ProcessFigures last = vm == null ? ProcessFigures.NONE : vm.figures();
        Usage usage = usage(sandbox, last);
        sandbox.detach(last);
        if (vm != null) {
            vm.kill();
        }
        sandbox.channels.failAll("sandbox " + sandbox.id() + " was destroyed");
        sandbox.recordFinalUsage(usage);
        VmFiles.deleteTree(sandbox.dir());
    }

    Usage usage(MicroVmSandbox sandbox) {
        var recorded = sandbox.finalUsage();
        if (recorded.isPresent()) {
            return recorded.get();
        }
        QemuVm vm = sandbox.vm();
        return usage(sandbox, vm == null ? ProcessFigures.NONE : vm.figures());
    }

    private Usage usage(MicroVmSandbox sandbox, ProcessFigures now) {
        long peak = sandbox.peakRss(now);
        return new Usage(sandbox.activeTime(), sandbox.standbyTime(), Optional.of(sandbox.cpuTime(now)),
                machine.memoryMb() * 1024L * 1024L, peak >= 0 ? OptionalLong.of(peak) : OptionalLong.empty(),
                OptionalLong.of(VmFiles.sizeOf(sandbox.dir().resolve(OVERLAY))
                        + VmFiles.sizeOf(sandbox.dir().resolve(STANDBY_STATE))
                        + (sandbox.disk == null ? 0 : sandbox.disk.writtenBytes())));
    }

    /** The QEMU process's figures now; {@link ProcessFigures#NONE} in standby or once destroyed. */
    ProcessFigures figures(MicroVmSandbox sandbox) {
        QemuVm vm = sandbox.vm();
        return vm == null ? ProcessFigures.NONE : vm.figures();
    }

    /** Private memory of every running clone, summed. */
    long privateBytes() {
        return live.values().stream().mapToLong(s -> Math.max(0, figures(s).privateBytes())).sum();
    }

    Optional<byte[]> readFile(MicroVmSandbox sandbox, String path, long maxBytes) throws SandboxException {
        synchronized (sandbox.lifecycle) {
            sandbox.requireLive();
            if (sandbox.state() == SandboxState.STANDBY) {
                resume(sandbox);
            }
            try {
                return Optional.ofNullable(sandbox.vm().agent().readFile(path, maxBytes, AGENT_TIMEOUT));
            } catch (IOException | TimeoutException e) {
                throw new SandboxException("could not read " + path + " of sandbox " + sandbox.id() + ": "
                        + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SandboxException("interrupted while reading " + path, e);
            }
        }
    }

    @Override
    public void close() {
        live.values().forEach(sandbox -> {
            try {
                destroy(sandbox);
            } catch (RuntimeException e) {
                LOG.warn("Sandbox {} could not be removed on close ({}); the next driver start-up reclaims it",
                        sandbox.id(), e.getMessage());
            }
        });
        timers.shutdownNow();
        try {
            VmFiles.deleteTree(ownerDir);
        } catch (RuntimeException e) {
            LOG.warn("Could not remove {} ({}); the next driver start-up reclaims it", ownerDir, e.getMessage());
        }
    }
}
