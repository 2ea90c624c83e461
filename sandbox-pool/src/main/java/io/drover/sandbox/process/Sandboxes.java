package io.drover.sandbox.process;

import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.Command;
import io.drover.sandbox.NetworkPolicy;
import io.drover.sandbox.Resources;
import io.drover.sandbox.SandboxException;
import io.drover.sandbox.SandboxState;
import io.drover.sandbox.Usage;
import io.drover.sandbox.process.base.BaseStore;
import io.drover.sandbox.process.cgroup.CgroupTree;
import io.drover.sandbox.process.cgroup.SandboxCgroup;
import io.drover.sandbox.process.disk.SandboxDisk;
import io.drover.sandbox.process.launch.Launcher;
import io.drover.sandbox.process.launch.NetworkJoin;
import io.drover.sandbox.process.network.SandboxNetwork;
import io.drover.sandbox.process.overlay.OverlayMount;
import io.drover.sandbox.process.overlay.Trees;
import io.drover.sandbox.process.reclaim.Owner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle of this driver instance's sandboxes: directories under {@code <sandboxes>/<owner>/},
 * cgroups under {@code drover/<owner>/}, an overlay per sandbox, and the commands running in them.
 */
final class Sandboxes implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Sandboxes.class);

    private final Owner owner;
    private final Path ownerDir;
    private final CgroupTree cgroups;
    private final Launcher launcher;
    private final OptionalInt gatewayPort;
    private final java.util.function.Function<Resources, OptionalInt> diskMbOf;
    private final Map<String, ProcessSandbox> live = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sandbox-timeouts");
        t.setDaemon(true);
        return t;
    });

    /** @param diskMbOf the disk limit of a sandbox with given resources; empty: none */
    Sandboxes(Owner owner, Path sandboxesDir, CgroupTree cgroups, Launcher launcher, OptionalInt gatewayPort,
            java.util.function.Function<Resources, OptionalInt> diskMbOf) throws IOException {
        this.gatewayPort = gatewayPort;
        this.diskMbOf = diskMbOf;
        this.owner = owner;
        this.ownerDir = sandboxesDir.resolve(owner.name());
        this.cgroups = cgroups;
        this.launcher = launcher;
        // Searchable, not listable, by the sandbox user, whatever Drover's umask is: bwrap opens the binds by path.
        for (Path dir : List.of(sandboxesDir, ownerDir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        }
        cgroups.createOwner(owner.name());
    }

    Owner owner() {
        return owner;
    }

    /** A fresh path in this owner's directory, so that a crash mid-commit leaves nothing reclaim would miss. */
    Path stagingDir() {
        return ownerDir.resolve("stage-" + java.util.UUID.randomUUID().toString().substring(0, 8));
    }

    /**
     * Creates a sandbox whose workspace is an overlay of {@code lowers}; on failure, undoes every step.
     *
     * @param limitDisk whether its writes go to a size-limited file system (when the driver limits
     *                  disks); a base's setup sandbox is not limited, because its upper dir is moved
     *                  into the base store afterwards, which only a rename within one file system does
     */
    ProcessSandbox create(String id, BaseSnapshot base, List<Path> lowers, Resources resources, boolean limitDisk)
            throws SandboxException {
        SandboxDirs dirs = new SandboxDirs(ownerDir.resolve(id));
        Deque<Runnable> undo = new ArrayDeque<>();
        try {
            undo.push(() -> Trees.delete(dirs.dir()));
            dirs.create();
            OptionalInt diskMb = limitDisk ? diskMbOf.apply(resources) : OptionalInt.empty();
            Optional<SandboxDisk> disk = Optional.empty();
            if (diskMb.isPresent()) {
                disk = Optional.of(SandboxDisk.create(dirs.image(), dirs.disk(), diskMb.getAsInt()));
                undo.push(() -> SandboxDisk.release(dirs.image(), dirs.disk()));
            }
            dirs.createLayers(launcher.user());
            OverlayMount.mount(lowers, dirs.upper(), dirs.work(), dirs.merged());
            undo.push(() -> OverlayMount.unmount(dirs.merged()));
            SandboxCgroup cgroup = cgroups.create(owner.name(), id, resources);
            undo.push(() -> {
                cgroup.killAll();
                cgroup.remove();
            });
            Optional<SandboxNetwork> network = SandboxNetwork.open(dirs.dir(), resources.network(), gatewayPort);
            ProcessSandbox sandbox = new ProcessSandbox(id, base, resources, dirs, cgroup, network, disk);
            live.put(id, sandbox);
            return sandbox;
        } catch (IOException | RuntimeException e) {
            undo.forEach(step -> {
                try {
                    step.run();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            });
            throw new SandboxException("could not create sandbox " + id + ": " + e.getMessage(), e);
        }
    }

    ProcessExecution exec(ProcessSandbox sandbox, Command command) throws SandboxException {
        synchronized (sandbox) {
            if (sandbox.state() == SandboxState.DESTROYED) {
                throw new SandboxException("sandbox " + sandbox.id() + " was destroyed; clone a new one");
            }
            if (sandbox.state() == SandboxState.STANDBY) {
                resume(sandbox);
            }
            SandboxCgroup cgroup = sandbox.cgroup();
            long oomBefore = cgroup.oomKills();
            Process process;
            try {
                process = launcher.start(cgroup.procsFiles(), sandbox.dirs().merged(), sandbox.dirs().tmp(),
                        sandbox.dirs().argsFile(sandbox.execSequence.incrementAndGet()), command, join(sandbox));
            } catch (IOException | RuntimeException e) {
                throw new SandboxException("could not start a command in sandbox " + sandbox.id() + ": " + e.getMessage(), e);
            }
            sandbox.moveTo(SandboxState.ACTIVE);
            ProcessExecution execution = new ProcessExecution(process, command, timers, cgroup::oomKills, oomBefore,
                    () -> sandbox.disk().map(SandboxDisk::isFull).orElse(false), e -> thawForKill(sandbox), e -> reapAfterKill(sandbox, e), sandbox::commandEnded);
            sandbox.running.add(execution);
            return execution;
        }
    }

    void standby(ProcessSandbox sandbox) throws SandboxException {
        synchronized (sandbox) {
            sandbox.requireLive();
            if (sandbox.state() == SandboxState.STANDBY) {
                return;
            }
            sandbox.cgroup().freeze();
            sandbox.moveTo(SandboxState.STANDBY);
        }
    }

    void resume(ProcessSandbox sandbox) throws SandboxException {
        synchronized (sandbox) {
            sandbox.requireLive();
            if (sandbox.state() != SandboxState.STANDBY) {
                return;
            }
            sandbox.cgroup().thaw();
            sandbox.moveTo(sandbox.running.stream().anyMatch(ProcessExecution::isAlive)
                    ? SandboxState.ACTIVE : SandboxState.WARM);
        }
    }

    /** A frozen v1 task cannot die until thawed; the command being killed is the sandbox's business anyway. */
    private void thawForKill(ProcessSandbox sandbox) {
        synchronized (sandbox) {
            if (sandbox.state() == SandboxState.STANDBY) {
                sandbox.cgroup().thaw();
                sandbox.moveTo(SandboxState.ACTIVE);
            }
        }
    }

    /**
     * bwrap's sandbox init dies with bwrap only once it has set PR_SET_PDEATHSIG: a command killed
     * while bwrap was still starting can leave it behind, holding the output pipes. When no other
     * command runs in the sandbox, killing the whole cgroup closes that gap.
     */
    private static void reapAfterKill(ProcessSandbox sandbox, ProcessExecution killed) {
        if (sandbox.running.stream().allMatch(e -> e == killed || !e.isAlive())) {
            sandbox.cgroup().killAll();
        }
    }

    /** Kills everything in the sandbox, then releases its mount, cgroup and files, in reverse order of creation. */
    void destroy(ProcessSandbox sandbox) {
        synchronized (sandbox) {
            if (sandbox.state() == SandboxState.DESTROYED) {
                return;
            }
            sandbox.moveTo(SandboxState.DESTROYED);
        }
        live.remove(sandbox.id());
        SandboxCgroup cgroup = sandbox.cgroup();
        cgroup.killAll();
        sandbox.recordFinalUsage(usage(sandbox));
        sandbox.network().ifPresent(SandboxNetwork::close);
        OverlayMount.unmount(sandbox.dirs().merged());
        sandbox.disk().ifPresent(SandboxDisk::release);
        cgroup.remove();
        Trees.delete(sandbox.dirs().dir());
    }

    /** What the sandbox used so far; after destroy, what it used in all. */
    Usage usage(ProcessSandbox sandbox) {
        var recorded = sandbox.finalUsage();
        if (recorded.isPresent()) {
            return recorded.get();
        }
        SandboxDirs dirs = sandbox.dirs();
        SandboxCgroup cgroup = sandbox.cgroup();
        var traffic = sandbox.network().flatMap(SandboxNetwork::traffic);
        return new Usage(sandbox.activeTime(), sandbox.standbyTime(), cgroup.cpuTime(),
                sandbox.resources().memoryBytes(), cgroup.memoryPeakBytes(),
                OptionalLong.of(sandbox.disk().map(SandboxDisk::usedBytes)
                        .orElseGet(() -> BaseStore.sizeOf(dirs.upper()) + BaseStore.sizeOf(dirs.tmp()))),
                traffic.map(t -> OptionalLong.of(t.sentBytes())).orElse(OptionalLong.empty()),
                traffic.map(t -> OptionalLong.of(t.receivedBytes())).orElse(OptionalLong.empty()));
    }

    private static NetworkJoin join(ProcessSandbox sandbox) {
        if (sandbox.network().isPresent()) {
            SandboxNetwork network = sandbox.network().get();
            return NetworkJoin.namespace(network.namespace(), network.hasDns());
        }
        return sandbox.resources().network().mode() == NetworkPolicy.Mode.HOST ? NetworkJoin.HOST : NetworkJoin.LOOPBACK;
    }

    /** Stops the sandbox's processes and detaches its overlay, leaving the upper dir for the caller to keep. */
    Path detachUpper(ProcessSandbox sandbox) {
        sandbox.cgroup().killAll();
        sandbox.network().ifPresent(SandboxNetwork::close);
        OverlayMount.unmount(sandbox.dirs().merged());
        return sandbox.dirs().upper();
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
        launcher.close();
        try {
            cgroups.removeOwner(owner.name());
            Trees.delete(ownerDir);
        } catch (RuntimeException e) {
            LOG.warn("Could not remove {} ({}); the next driver start-up reclaims it", ownerDir, e.getMessage());
        }
    }
}
