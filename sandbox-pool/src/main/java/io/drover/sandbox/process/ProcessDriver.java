package io.drover.sandbox.process;

import io.drover.sandbox.BaseLayers;
import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.Command;
import io.drover.sandbox.Execution;
import io.drover.sandbox.Resources;
import io.drover.sandbox.Sandbox;
import io.drover.sandbox.SandboxDriver;
import io.drover.sandbox.SandboxException;
import io.drover.sandbox.Usage;
import io.drover.sandbox.process.base.BaseStore;
import io.drover.sandbox.process.cgroup.CgroupLayout;
import io.drover.sandbox.process.cgroup.CgroupTree;
import io.drover.sandbox.process.cgroup.LeafPlacement;
import io.drover.sandbox.process.cgroup.OwnCgroup;
import io.drover.sandbox.process.launch.HostView;
import io.drover.sandbox.process.launch.Launcher;
import io.drover.sandbox.process.launch.RootDoor;
import io.drover.sandbox.process.network.SandboxNetwork;
import io.drover.sandbox.preflight.Checked;
import io.drover.sandbox.preflight.Startup;
import io.drover.sandbox.process.reclaim.OrphanReclaimer;
import io.drover.sandbox.process.reclaim.Owner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code process} driver: each sandbox is an overlay of a shared read-only base layer with a
 * private upper dir, seen at /workspace inside bubblewrap namespaces (mount, pid, ipc, uts, net
 * per the sandbox's {@link io.drover.sandbox.NetworkPolicy}, user with root mapped to an unprivileged
 * uid), with every capability dropped, limited and metered by its own cgroup, parked by freezing that
 * cgroup. Needs root on the host, and pasta and nft for sandboxes with a network of their own.
 */
public final class ProcessDriver implements SandboxDriver {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessDriver.class);
    private static final String NAME = "process";
    private static final Duration CANARY_TIMEOUT = Duration.ofSeconds(30);

    private final ProcessDriverSettings settings;
    private final Sandboxes sandboxes;
    private final BaseBuilder bases;
    private final BaseStore store;
    private final ProcessBaseLayers layers;

    public ProcessDriver(Path root) {
        this(ProcessDriverSettings.defaults(root));
    }

    public ProcessDriver(ProcessDriverSettings settings) {
        this(settings, Owner.current(), CgroupLayout.detect());
    }

    ProcessDriver(ProcessDriverSettings settings, Owner owner, CgroupLayout layout) {
        this.settings = settings;
        Path root = settings.root().toAbsolutePath().normalize();
        layout.requireUsable();
        LeafPlacement.ifNeeded(layout, OwnCgroup.current(layout), settings.cgroupParent()).ifPresent(leaf ->
                LOG.info("Moved this process into the cgroup {}: its own cgroup holds the sandboxes' tree, and cgroup v2"
                        + " hands controllers down only from cgroups without processes", leaf));
        CgroupTree cgroups = new CgroupTree(layout, settings.cgroupParent());
        try {
            Files.createDirectories(root);
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx--x--x"));
            Optional<Path> closed = RootAccess.firstUnsearchable(root, settings.user());
            closed.ifPresent(dir -> LOG.info("{} is not searchable by uid {}: each command enters the sandbox root"
                    + " through a private mount namespace (two more execs per command); 'chmod o+x {}' avoids that",
                    dir, settings.user().uid(), dir));
            RootDoor door = new RootDoor(root.toAbsolutePath().normalize(), closed.isPresent());
            Set<String> reclaimed = new OrphanReclaimer(root.resolve("sandboxes"), cgroups).reclaimDeadOwners();
            this.store = new BaseStore(root.resolve("bases"));
            this.layers = new ProcessBaseLayers(store, root.resolve("bases"));
            Path emptyLayer = root.resolve("bases").resolve(".empty");
            Files.createDirectories(emptyLayer);
            SandboxDirs.owned(emptyLayer, settings.user(), "rwxr-xr-x");
            Launcher launcher = new Launcher(settings.user(), new HostView(root.resolve("etc"), SandboxNetwork.nameserver()), door);
            this.sandboxes = new Sandboxes(owner, root.resolve("sandboxes"), cgroups, launcher, settings.gatewayPort(),
                    settings::diskMbOf);
            this.bases = new BaseBuilder(store, sandboxes, settings, emptyLayer);
            LOG.info("Process sandbox driver ready in {} as {}: {}, bubblewrap namespaces, overlay workspaces,"
                    + " root inside = uid {} outside; {}; reclaimed {} dead drivers' sandboxes", root, owner.name(),
                    layout.describe(), settings.user().uid(), diskText(settings), reclaimed.size());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use " + root + " as the sandbox root", e);
        }
    }

    private static String diskText(ProcessDriverSettings settings) {
        return settings.diskLimit() == io.drover.sandbox.process.disk.DiskLimit.NONE
                ? "NO disk limit (drover.pool.disk-limit=none): a sandbox can fill the data dir's disk"
                : "disks limited on loop-mounted ext4 images, " + settings.defaultDiskMb() + " MiB unless a spec says";
    }

    /**
     * Checks what the driver needs from the machine, starts it, and runs one canary sandbox of the
     * default kind (loopback network, with the gateway forward when there is a gateway). The driver
     * is returned only when all of that passed; otherwise the preflight says what is missing.
     */
    public static Checked<ProcessDriver> start(ProcessDriverSettings settings) {
        CgroupLayout layout = CgroupLayout.detect();
        return Startup.behind(NAME, () -> ProcessPreflight.run(settings, layout),
                () -> new ProcessDriver(settings, Owner.current(), layout), Optional.of(CANARY_TIMEOUT));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean supportsSetup() {
        return true;
    }

    /** A setup's /tmp is not part of its base, and file secrets are written only there. */
    @Override
    public boolean supportsSetupSecrets() {
        return true;
    }

    @Override
    public boolean supportsNetwork() {
        return true;
    }

    @Override
    public BaseSnapshot prepareBase(BaseSpec spec) throws SandboxException {
        if (!"host".equals(spec.image())) {
            throw new SandboxException("image " + spec.image() + ": the process driver runs on the host image only;"
                    + " use image 'host'");
        }
        return bases.prepare(spec);
    }

    @Override
    public Optional<BaseLayers> layers() {
        return Optional.of(layers);
    }

    @Override
    public Sandbox clone(BaseSnapshot base, Resources resources) throws SandboxException {
        String id = "sb-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        return sandboxes.create(id, base, List.of(base.location()), resources, true);
    }

    @Override
    public Execution exec(Sandbox sandbox, Command command) throws SandboxException {
        return sandboxes.exec(own(sandbox), command);
    }

    @Override
    public void standby(Sandbox sandbox) throws SandboxException {
        sandboxes.standby(own(sandbox));
    }

    @Override
    public void resume(Sandbox sandbox) throws SandboxException {
        sandboxes.resume(own(sandbox));
    }

    @Override
    public void destroy(Sandbox sandbox) {
        sandboxes.destroy(own(sandbox));
    }

    @Override
    public Usage usage(Sandbox sandbox) {
        return sandboxes.usage(own(sandbox));
    }

    @Override
    public long deleteBase(String hash) throws SandboxException {
        try {
            return store.delete(hash);
        } catch (IOException e) {
            throw new SandboxException("could not delete the base " + hash + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<byte[]> readFile(Sandbox sandbox, String path, long maxBytes) throws SandboxException {
        ProcessSandbox own = own(sandbox);
        if (own.state() == io.drover.sandbox.SandboxState.DESTROYED) {
            throw new SandboxException("sandbox " + sandbox.id() + " was destroyed; read its files before release");
        }
        return WorkspaceFiles.read(own.dirs().upper(), path, maxBytes);
    }

    @Override
    public void close() {
        sandboxes.close();
    }

    ProcessDriverSettings settings() {
        return settings;
    }

    Owner owner() {
        return sandboxes.owner();
    }

    private static ProcessSandbox own(Sandbox sandbox) {
        if (sandbox instanceof ProcessSandbox own) {
            return own;
        }
        throw new IllegalArgumentException("sandbox " + sandbox.id() + " belongs to another driver");
    }
}
