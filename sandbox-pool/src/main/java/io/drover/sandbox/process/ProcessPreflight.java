package io.drover.sandbox.process;

import io.drover.sandbox.preflight.Check;
import io.drover.sandbox.preflight.Executables;
import io.drover.sandbox.process.cgroup.CgroupLayout;
import io.drover.sandbox.process.cgroup.MemoryBudget;
import io.drover.sandbox.process.cgroup.MemoryLimit;
import io.drover.sandbox.process.cgroup.OwnCgroup;
import io.drover.sandbox.process.disk.DiskLimit;
import io.drover.sandbox.process.disk.SandboxDisk;
import io.drover.sandbox.process.overlay.OverlayMount;
import io.drover.sandbox.process.overlay.Trees;
import io.drover.sandbox.process.reclaim.Owner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the process driver needs from the machine, checked at start-up in the order a sandbox
 * needs it, each failure saying what to install or change. Probes leave nothing behind: they live
 * under an owner name of this process, which start-up reclaim removes should the process die mid-check.
 */
final class ProcessPreflight {
    /** The oldest bubblewrap with every option the launcher passes ({@code --disable-userns} came in 0.8.0). */
    static final int[] MIN_BUBBLEWRAP = {0, 8, 0};
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?");
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;

    private ProcessPreflight() {
    }

    /** Every check up to the first failure: a later one would only fail for the same reason or mislead. */
    static List<Check> run(ProcessDriverSettings settings, CgroupLayout layout) {
        return Check.untilFailure(List.of(ProcessPreflight::root, ProcessPreflight::capabilities,
                ProcessPreflight::bubblewrap, ProcessPreflight::utilLinux,
                () -> tool("pasta", "passt", "--version", "sandbox networking"),
                () -> tool("nft", "nftables", "--version", "the sandbox firewall"),
                ProcessPreflight::tun, () -> cgroups(layout, settings.cgroupParent()),
                () -> memory(settings.memoryBudget(), MemoryLimit.shared(layout, OwnCgroup.current(layout),
                        settings.cgroupParent()), Runtime.getRuntime().maxMemory()),
                () -> overlay(settings.root()), () -> disk(settings.diskLimit(), settings.root())));
    }

    /**
     * The sandboxes' memory budget and this JVM's heap fit in the memory limit they share (a pod's
     * limit when the sandboxes' cgroups are under the pod's): otherwise a busy pool gets the pod
     * OOM-killed, JVM included, instead of one sandbox stopped at its own limit.
     */
    static Check memory(Optional<MemoryBudget> budget, Optional<MemoryLimit> limit, long heapBytes) {
        if (budget.isEmpty()) {
            return Check.passed("memory", "no sandbox memory budget to check");
        }
        if (limit.isEmpty()) {
            return Check.passed("memory", "no memory limit is shared by this process and its sandboxes");
        }
        MemoryBudget b = budget.get();
        long need = b.bytes() + heapBytes;
        String sum = b.sandboxesKey() + " (" + b.sandboxes() + ") x " + b.memoryKey() + " (" + b.memoryMbEach()
                + ") = " + mib(b.bytes()) + " MiB for sandboxes, plus " + mib(heapBytes) + " MiB of JVM heap (-Xmx)";
        if (need > limit.get().bytes()) {
            return Check.failed("memory", sum + ", is more than the " + mib(limit.get().bytes()) + " MiB memory limit ("
                    + limit.get().file() + ") that the sandboxes share with this process: lower " + b.sandboxesKey()
                    + " or " + b.memoryKey() + ", or raise the limit (a pod's resources.limits.memory)");
        }
        return Check.passed("memory", sum + ", within the " + mib(limit.get().bytes()) + " MiB limit of "
                + limit.get().file());
    }

    private static long mib(long bytes) {
        return bytes / (1024 * 1024);
    }

    static Check root() {
        try {
            int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return uid == 0 ? Check.passed("root", "running as root")
                    : Check.failed("root", "Drover runs as uid " + uid + "; the process driver needs root (it mounts"
                            + " overlays and manages cgroups): run it as root");
        } catch (IOException | UnsupportedOperationException e) {
            return Check.failed("root", "cannot tell this process's uid from /proc/self: " + e.getMessage());
        }
    }

    /**
     * The capabilities the driver uses, each with what fails without it (root in a container may
     * lack some), read from this process's effective set.
     */
    static final Map<Integer, String> CAPABILITIES = capabilityTable();

    private static Map<Integer, String> capabilityTable() {
        Map<Integer, String> table = new java.util.LinkedHashMap<>();
        table.put(0, "CHOWN (the sandbox root and base layers are owned by the sandbox user)");
        table.put(1, "DAC_OVERRIDE (base layers and sandbox directories of the sandbox user)");
        table.put(3, "FOWNER (permissions of the sandbox user's directories)");
        table.put(5, "KILL (stopping commands at their timeout, on cancel and at destroy)");
        table.put(6, "SETGID (setpriv to the sandbox user)");
        table.put(7, "SETUID (setpriv to the sandbox user)");
        table.put(12, "NET_ADMIN (sandbox network namespaces and their firewall)");
        table.put(21, "SYS_ADMIN (overlay mounts and namespaces)");
        return java.util.Collections.unmodifiableMap(table);
    }

    static Check capabilities() {
        try {
            return capabilities(Files.readAllLines(Path.of("/proc/self/status")));
        } catch (IOException e) {
            return Check.failed("capabilities", "cannot read /proc/self/status: " + e.getMessage());
        }
    }

    static Check capabilities(List<String> status) {
        Optional<java.math.BigInteger> effective = status.stream().filter(l -> l.startsWith("CapEff:"))
                .map(l -> new java.math.BigInteger(l.substring("CapEff:".length()).strip(), 16)).findFirst();
        if (effective.isEmpty()) {
            return Check.failed("capabilities", "/proc/self/status has no CapEff line");
        }
        List<String> missing = CAPABILITIES.entrySet().stream().filter(e -> !effective.get().testBit(e.getKey()))
                .map(e -> "CAP_" + e.getValue()).toList();
        if (missing.isEmpty()) {
            return Check.passed("capabilities", "CHOWN, DAC_OVERRIDE, FOWNER, KILL, SETGID, SETUID, NET_ADMIN, SYS_ADMIN");
        }
        return Check.failed("capabilities", "missing " + String.join(", ", missing) + "; in a container, add them"
                + " (--cap-add, or the pod's securityContext.capabilities.add)");
    }

    static Check bubblewrap() {
        Optional<Path> bwrap = Executables.find("bwrap");
        if (bwrap.isEmpty()) {
            return missing("bubblewrap", "bwrap", "bubblewrap", "the sandbox launcher");
        }
        String said = Executables.version(bwrap.get(), "--version").orElse("");
        Optional<int[]> version = parse(said);
        if (version.isEmpty()) {
            return Check.failed("bubblewrap", bwrap.get() + " --version printed '" + said + "', not a version");
        }
        if (compare(version.get(), MIN_BUBBLEWRAP) < 0) {
            return Check.failed("bubblewrap", said + " at " + bwrap.get() + " is older than " + text(MIN_BUBBLEWRAP)
                    + ", which the launcher needs (--disable-userns); install bubblewrap 0.8 or later (Debian 12's)");
        }
        return Check.passed("bubblewrap", said + " at " + bwrap.get());
    }

    static Check utilLinux() {
        List<String> missing = List.of("unshare", "nsenter", "setpriv", "mount", "umount").stream()
                .filter(name -> Executables.find(name).isEmpty()).toList();
        return missing.isEmpty() ? Check.passed("util-linux", "unshare, nsenter, setpriv, mount and umount found")
                : Check.failed("util-linux", String.join(", ", missing) + " not found on Drover's PATH ("
                        + System.getenv("PATH") + "); apt-get install util-linux mount");
    }

    static Check tool(String name, String pkg, String versionFlag, String purpose) {
        Optional<Path> found = Executables.find(name);
        if (found.isEmpty()) {
            return missing(name, name, pkg, purpose);
        }
        return Check.passed(name, Executables.version(found.get(), versionFlag).orElse("found") + " at " + found.get());
    }

    static Check tun() {
        Path tun = Path.of("/dev/net/tun");
        try {
            int mode = (Integer) Files.getAttribute(tun, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if ((mode & S_IFMT) != S_IFCHR) {
                return Check.failed("/dev/net/tun", tun + " is not a character device; pasta needs the TUN device"
                        + " (in a container: --device /dev/net/tun)");
            }
            return Check.passed("/dev/net/tun", "present");
        } catch (IOException e) {
            return Check.failed("/dev/net/tun", tun + " is missing; pasta needs the TUN device to connect sandbox"
                    + " networks (modprobe tun; in a container: --device /dev/net/tun)");
        }
    }

    /** The cgroup controllers are mounted, and Drover may make cgroups under each hierarchy. */
    static Check cgroups(CgroupLayout layout, String parent) {
        try {
            layout.requireUsable();
        } catch (IllegalStateException e) {
            return Check.failed("cgroups", e.getMessage());
        }
        if (layout.hierarchies().isEmpty()) {
            return Check.failed("cgroups", "no cgroup hierarchy is mounted (/proc/self/mounts lists none)");
        }
        String probe = Owner.current().name();
        for (Path hierarchy : layout.hierarchies()) {
            Path dir = hierarchy.resolve(parent).resolve(probe);
            try {
                Files.createDirectories(dir);
                Files.delete(dir);
            } catch (IOException e) {
                return Check.failed("cgroups", "cannot create a cgroup under " + hierarchy + " (" + e + "); the"
                        + " process driver needs a writable cgroup tree (in a container: --cgroupns host"
                        + " -v /sys/fs/cgroup:/sys/fs/cgroup:rw; in a pod: the chart's worker.cgroups, a hostPath"
                        + " /sys/fs/cgroup or a privileged container)");
            }
        }
        return Check.passed("cgroups", layout.describe() + ", writable");
    }

    /** An overlay mounts where sandboxes' overlays will: under the sandbox root, in the data dir. */
    static Check overlay(Path root) {
        Path dir = root.toAbsolutePath().normalize().resolve("sandboxes").resolve(Owner.current().name())
                .resolve("preflight-overlay");
        try {
            for (String sub : List.of("lower", "upper", "work", "merged")) {
                Files.createDirectories(dir.resolve(sub));
            }
            OverlayMount.mount(List.of(dir.resolve("lower")), dir.resolve("upper"), dir.resolve("work"),
                    dir.resolve("merged"));
            OverlayMount.unmount(dir.resolve("merged"));
            return Check.passed("overlay", "an overlay mounts in " + root);
        } catch (IOException | RuntimeException e) {
            String fs = filesystemOf(root).orElse("unknown");
            if (fs.equals("overlay")) {
                return Check.failed("overlay", "the sandbox root " + root + " is on an overlay filesystem (as a"
                        + " container's root is), which cannot hold a sandbox overlay's upper dir: set drover.data-dir"
                        + " to a directory on a volume or a local disk (ext4, xfs, tmpfs)");
            }
            return Check.failed("overlay", "cannot mount an overlay in " + root + " (a " + fs + " filesystem): "
                    + e.getMessage() + "; set drover.data-dir to a local disk that overlayfs accepts as upper dir"
                    + " (ext4, xfs, tmpfs)");
        } finally {
            Path owner = dir.getParent();
            try {
                OverlayMount.unmount(dir.resolve("merged"));
            } catch (RuntimeException ignored) {
                // a probe that never mounted
            }
            Trees.delete(owner);
        }
    }

    /**
     * With {@code drover.pool.disk-limit=loop}: mke2fs and losetup are there, and a small sparse ext4
     * image loop-mounts under the sandbox root, as each sandbox's disk will.
     */
    static Check disk(DiskLimit limit, Path root) {
        String name = "disk limit";
        if (limit == DiskLimit.NONE) {
            return Check.passed(name, "drover.pool.disk-limit=none: sandboxes' disks are NOT limited");
        }
        String off = "; or set drover.pool.disk-limit=none to run without disk limits (a sandbox can then fill the"
                + " data dir's disk)";
        List<String> missing = List.of("mke2fs", "losetup", "stat").stream()
                .filter(tool -> Executables.find(tool).isEmpty()).toList();
        if (!missing.isEmpty()) {
            return Check.failed(name, String.join(", ", missing) + " not found on Drover's PATH (" + System.getenv("PATH")
                    + "); each sandbox's disk is an ext4 image: apt-get install e2fsprogs mount coreutils" + off);
        }
        if (!Files.exists(Path.of("/dev/loop-control"))) {
            return Check.failed(name, "/dev/loop-control is missing, so no loop device can be attached: modprobe loop"
                    + " (in a container: --device /dev/loop-control and the /dev/loopN devices, which a container"
                    + " without --privileged usually cannot get)" + off);
        }
        Path dir = root.toAbsolutePath().normalize().resolve("sandboxes").resolve(Owner.current().name())
                .resolve("preflight-disk");
        try {
            Files.createDirectories(dir.resolve("mnt"));
            SandboxDisk probe = SandboxDisk.create(dir.resolve("disk.img"), dir.resolve("mnt"), 16);
            probe.release();
            return Check.passed(name, "a sparse ext4 image loop-mounts in " + root + "; sandboxes get "
                    + "drover.pool.sandbox-disk-mb unless their spec says");
        } catch (IOException | RuntimeException e) {
            return Check.failed(name, "cannot loop-mount an ext4 image in " + root + ": " + e.getMessage()
                    + "; the disk limit needs loop devices (modprobe loop; in a container: the /dev/loop* devices)" + off);
        } finally {
            try {
                SandboxDisk.release(dir.resolve("disk.img"), dir.resolve("mnt"));
            } catch (RuntimeException ignored) {
                // a probe that never mounted
            }
            Trees.delete(dir.getParent());
        }
    }

    /** The type of the filesystem {@code path} is on, from the deepest mount point above it. */
    static Optional<String> filesystemOf(Path path) {
        Path target = path.toAbsolutePath().normalize();
        try {
            String best = null;
            int depth = -1;
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
                String[] f = line.split(" ");
                int dash = java.util.Arrays.asList(f).indexOf("-");
                if (f.length < 5 || dash < 0 || dash + 1 >= f.length) {
                    continue;
                }
                Path point = Path.of(OverlayMount.unescape(f[4]));
                if (target.startsWith(point) && point.getNameCount() >= depth) {
                    depth = point.getNameCount();
                    best = f[dash + 1];
                }
            }
            return Optional.ofNullable(best);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Check missing(String name, String command, String pkg, String purpose) {
        return Check.failed(name, command + " not found on Drover's PATH (" + System.getenv("PATH") + "); it is "
                + purpose + ": apt-get install " + pkg);
    }

    static Optional<int[]> parse(String text) {
        Matcher m = VERSION.matcher(text);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3))});
    }

    static int compare(int[] a, int[] b) {
        for (int i = 0; i < 3; i++) {
            if (a[i] != b[i]) {
                return Integer.compare(a[i], b[i]);
            }
        }
        return 0;
    }

    private static String text(int[] v) {
        return v[0] + "." + v[1] + "." + v[2];
    }
}
