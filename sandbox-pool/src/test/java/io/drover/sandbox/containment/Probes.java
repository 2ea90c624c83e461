package io.drover.sandbox.containment;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.sandbox.ExecResult.Termination;
import io.drover.sandbox.Execution;
import io.drover.sandbox.NetworkPolicy;
import io.drover.sandbox.Resources;
import io.drover.sandbox.Sandbox;
import io.drover.sandbox.containment.ProbeTarget.Kind;
import io.drover.sandbox.containment.ProbeTarget.Ran;
import io.drover.sandbox.microvm.MicroVmProbeTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The containment probes, each run in real sandboxes of one driver. Every probe is harmless to the
 * host even where containment failed: it reads, writes only canaries the test made or names that
 * do not exist on the host, signals only a process the test started, and the fork bomb runs under
 * the sandbox's process limit and a timeout. Network probes connect only to listeners the test
 * opened on this machine.
 *
 * <p>What a probe means differs by driver: the process driver shares the host's kernel, so a probe
 * asserts that the kernel refuses (no capability, no device, no mount); the microvm guest is a
 * kernel of its own where the command is root, so a probe asserts that nothing the guest can do
 * reaches the host (no host device or file system attached, the host's state unchanged).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
abstract class Probes {
    private static final Resources SMALL = new Resources(256, 1.0, 64);

    protected ProbeTarget target;
    private final List<Sandbox> opened = new ArrayList<>();

    protected abstract ProbeTarget createTarget(HostListeners listeners) throws Exception;

    @BeforeAll
    void startDriver() throws Exception {
        target = createTarget(ContainmentTest.listeners());
        target.base();
    }

    @AfterAll
    void stopDriver() {
        if (target != null) {
            target.close();
        }
    }

    @AfterEach
    void destroyOpened() {
        opened.forEach(target::destroy);
        opened.clear();
    }

    private Sandbox open(Resources resources) throws Exception {
        Sandbox sandbox = target.open(resources);
        opened.add(sandbox);
        return sandbox;
    }

    private boolean isProcess() {
        return target.kind() == Kind.PROCESS;
    }

    @Test
    void host_files_outside_the_view_are_unreadable_and_writes_to_the_root_do_not_reach_the_host() throws Exception {
        probe("host files", () -> {
            String token = "drover-canary-" + UUID.randomUUID();
            List<Path> canaries = List.of(Path.of("/root", token), Path.of("/tmp", token), target.root().resolve(token));
            String probeName = "drover-probe-" + UUID.randomUUID();
            List<Path> written = List.of(Path.of("/", probeName), Path.of("/usr", probeName));
            String shadowLine = Files.readAllLines(Path.of("/etc/shadow")).get(0);
            Set<String> hostHome = names(Path.of(System.getProperty("user.home")));
            try {
                for (Path canary : canaries) {
                    Files.writeString(canary, token);
                }
                Sandbox sandbox = open(SMALL);
                Ran ran = target.run(sandbox, "for f in " + join(canaries) + " /etc/shadow; do"
                        + " if cat \"$f\" 2>/dev/null; then echo \"READ $f\"; fi; done;"
                        + " echo \"HOME:$(ls -A /root /home " + System.getProperty("user.home") + " 2>/dev/null | tr '\\n' ' ')\";"
                        + " for f in " + join(written) + "; do if echo x 2>/dev/null > \"$f\"; then echo \"WROTE $f\"; fi; done");
                assertThat(ran.stdout()).as(ran.both()).doesNotContain(token).doesNotContain(shadowLine)
                        .doesNotContain("READ /root").doesNotContain("READ /tmp").doesNotContain("READ " + target.root());
                String home = line(ran.stdout(), "HOME:");
                assertThat(Arrays.asList(home.split(" "))).as("host home entries seen: " + home)
                        .doesNotContainAnyElementsOf(hostHome);
                for (Path path : written) {
                    assertThat(path).as("a write inside reached the host").doesNotExist();
                }
                if (isProcess()) {
                    // bubblewrap's root is a tmpfs of the command's own: a file made there is gone with the command.
                    assertThat(ran.stdout()).as(ran.both()).doesNotContain("WROTE " + written.get(1))
                            .doesNotContain("READ /etc/shadow");
                    Ran next = target.run(sandbox, "ls " + join(written) + " 2>&1; true");
                    assertThat(next.stdout()).as(next.both()).doesNotContain("WROTE").contains("No such file");
                    return "canaries in /root, /tmp and the driver's root unreadable (not in the view); host"
                            + " /etc/shadow, home and /home absent; a write to /usr refused (read-only bind), a write to /"
                            + (ran.stdout().contains("WROTE /" + probeName) ? " lands in the command's own tmpfs root"
                                    + " (gone by its next command)" : " refused") + "; neither on the host";
                }
                return "canaries in /root, /tmp and the driver's root and host /etc/shadow absent (the guest has no host"
                        + " file system); guest /root empty; writes to / and /usr "
                        + (ran.stdout().contains("WROTE") ? "land in the guest's RAM root only" : "refused")
                        + ", none on the host";
            } finally {
                for (Path path : Stream.concat(canaries.stream(), written.stream()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        });
    }

    @Test
    void host_processes_are_not_visible_and_cannot_be_signalled() throws Exception {
        probe("host processes", () -> {
            String marker = "drover-host-" + UUID.randomUUID().toString().substring(0, 12);
            Process sleeper = HostProcesses.sleeper(marker, 120);
            try {
                long jvm = ProcessHandle.current().pid();
                Sandbox sandbox = open(SMALL);
                Ran ran = target.run(sandbox, "echo \"SEEN:$(grep -las '" + HostProcesses.unselfish(marker)
                        + "' /proc/[0-9]*/cmdline | tr '\\n' ' ')\";"
                        + " grep -qa java /proc/" + jvm + "/cmdline 2>/dev/null && echo JVM_VISIBLE;"
                        + " grep -qa java /proc/" + jvm + "/cmdline 2>/dev/null && kill -0 " + jvm + " && echo JVM_SIGNALLED;"
                        + " kill -KILL " + sleeper.pid() + " && echo SLEEPER_SIGNALLED; true");
                Thread.sleep(200);
                assertThat(sleeper.isAlive()).as("the host sleeper survived kill -KILL from inside: " + ran.both()).isTrue();
                assertThat(line(ran.stdout(), "SEEN:")).as(ran.both()).isEmpty();
                assertThat(ran.stdout()).as(ran.both()).doesNotContain("JVM_");
                String refused = firstMatching(ran.stderr(), "No such process", "Operation not permitted");
                return "a host `sleep` under a unique argv not in /proc, nor the test's JVM;"
                        + " kill -KILL of the sleeper's pid: " + (ran.stdout().contains("SLEEPER_SIGNALLED")
                                ? "hit a guest process of that number" : refused) + "; the sleeper lives on";
            } finally {
                sleeper.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        });
    }

    @Test
    void no_host_device_is_reachable_and_mknod_gives_none() throws Exception {
        probe("devices", () -> {
            Sandbox sandbox = open(SMALL);
            Ran ran = target.run(sandbox, "for d in /dev/sda /dev/sdb /dev/nvme0n1 /dev/vda /dev/vdb /dev/kvm /dev/mem"
                    + " /dev/kmem /dev/port /dev/loop0 /dev/loop-control /dev/fuse /dev/net/tun /dev/mapper/control; do"
                    + " [ -e \"$d\" ] && echo \"DEV $d\"; done;"
                    + " echo \"BLOCK:$(ls /sys/block 2>/dev/null | tr '\\n' ' ')\";"
                    + " if err=$(mknod /tmp/probe-sda b 8 0 2>&1); then echo MKNOD_DONE;"
                    + "   if head -c 1 /tmp/probe-sda >/dev/null 2>&1; then echo NODE_READ; fi; rm -f /tmp/probe-sda;"
                    + " else echo \"MKNOD_ERROR:$err\"; fi; true");
            List<String> devices = lines(ran.stdout(), "DEV ");
            String block = line(ran.stdout(), "BLOCK:");
            assertThat(devices).as(ran.both()).doesNotContain("/dev/kvm", "/dev/sda", "/dev/sdb", "/dev/nvme0n1");
            assertThat(ran.stdout()).as(ran.both()).doesNotContain("NODE_READ");
            if (isProcess()) {
                assertThat(devices).as(ran.both()).isEmpty();
                assertThat(ran.stdout()).as(ran.both()).doesNotContain("MKNOD_DONE");
                return "no disk, /dev/kvm, /dev/mem, loop, fuse or tun node; no /sys; mknod refused ("
                        + line(ran.stdout(), "MKNOD_ERROR:") + ")";
            }
            assertThat(block.isEmpty() ? List.<String>of() : Arrays.asList(block.split(" ")))
                    .as("block devices of the guest").allMatch(d -> d.equals("vda") || d.equals("vdb") || d.matches("(loop|ram|zram)\\d+"));
            return "no /dev/kvm, no host disk; the guest's devices are its own (" + String.join(" ", devices)
                    + "; block: " + block + ", vda = the clone's qcow2 overlay, vdb = its own disk of diskMb); mknod "
                    + (ran.stdout().contains("MKNOD_DONE") ? "works in the guest but a node for a host disk reads nothing"
                            : "refused");
        });
    }

    @Test
    void mounts_fail_or_mount_only_what_the_guest_kernel_has() throws Exception {
        probe("mounting", () -> {
            Sandbox sandbox = open(SMALL);
            Ran ran = target.run(sandbox, "mkdir -p /tmp/m;"
                    + " echo \"MOUNT_ERROR:$(mount -t tmpfs none /tmp/m 2>&1 && umount /tmp/m)\";"
                    + " mount -t tmpfs none /tmp/m 2>/dev/null && echo 'MOUNTED tmpfs' && umount /tmp/m;"
                    + " mount --bind /workspace /tmp/m 2>/dev/null && echo 'MOUNTED bind' && umount /tmp/m;"
                    + " mount -t proc proc /tmp/m 2>/dev/null && echo 'MOUNTED proc' && umount /tmp/m;"
                    + " mount -t 9p -o trans=virtio host /tmp/m 2>/dev/null && echo 'MOUNTED 9p';"
                    + " mount -t virtiofs host /tmp/m 2>/dev/null && echo 'MOUNTED virtiofs';"
                    + " unshare -m true 2>/dev/null && echo 'UNSHARED -m';"
                    + " unshare -Urm sh -c 'mount -t tmpfs none /tmp/m' 2>/dev/null && echo 'UNSHARED -Urm + mount';"
                    + " echo \"VIRTIO:$(cat /sys/bus/virtio/devices/*/device 2>/dev/null | tr '\\n' ' ')\";"
                    + " echo \"NET:$(ls /sys/class/net 2>/dev/null | tr '\\n' ' ')\"; true");
            assertThat(ran.stdout()).as(ran.both()).doesNotContain("MOUNTED 9p").doesNotContain("MOUNTED virtiofs");
            if (isProcess()) {
                assertThat(ran.stdout()).as(ran.both()).doesNotContain("MOUNTED").doesNotContain("UNSHARED");
                return "mount -t tmpfs, mount --bind, mount -t proc, unshare -m and unshare -Urm + mount all refused ("
                        + line(ran.stdout(), "MOUNT_ERROR:") + ")";
            }
            // The guest's root may mount what its own kernel has; what matters is that nothing of the host is attached.
            List<String> virtio = Arrays.asList(line(ran.stdout(), "VIRTIO:").split(" "));
            assertThat(virtio).as("virtio devices (2 block, 3 console): " + ran.both())
                    .isNotEmpty().allMatch(id -> id.equals("0x0002") || id.equals("0x0003"));
            assertThat(line(ran.stdout(), "NET:")).as(ran.both()).isEqualTo("lo");
            return "the guest's root mounts in its own kernel (" + String.join(", ", lines(ran.stdout(), "MOUNTED "))
                    + (ran.stdout().contains("UNSHARED") ? ", unshare" : "") + "); no host share: 9p and virtiofs fail,"
                    + " the only virtio devices are its two disks and the agent's console, no network interface but lo";
        });
    }

    @Test
    void the_command_has_no_capabilities_on_the_hosts_kernel() throws Exception {
        probe("capabilities", () -> {
            Sandbox sandbox = open(SMALL);
            Ran ran = target.run(sandbox, "grep -E '^(CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs)' /proc/self/status;"
                    + " echo \"BOOT:$(cat /proc/sys/kernel/random/boot_id)\"");
            Map<String, String> status = new LinkedHashMap<>();
            ran.stdout().lines().filter(l -> l.contains(":\t")).forEach(l -> status.put(l.substring(0, l.indexOf(':')),
                    l.substring(l.indexOf('\t') + 1)));
            String hostBoot = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
            if (isProcess()) {
                assertThat(status.get("CapEff")).as(ran.both()).isEqualTo("0000000000000000");
                assertThat(status.get("CapPrm")).as(ran.both()).isEqualTo("0000000000000000");
                assertThat(status.get("CapAmb")).as(ran.both()).isEqualTo("0000000000000000");
                return "CapEff, CapPrm, CapAmb 0; CapBnd " + status.get("CapBnd") + "; NoNewPrivs "
                        + status.get("NoNewPrivs");
            }
            assertThat(line(ran.stdout(), "BOOT:")).as("the guest's boot id").isNotBlank().isNotEqualTo(hostBoot);
            return "CapEff " + status.get("CapEff") + ": root of the guest's own kernel (boot id differs from the host's),"
                    + " none on the host's";
        });
    }

    @Test
    void writes_to_cgroup_files_of_the_sandbox_and_its_parent_fail_and_change_nothing() throws Exception {
        probe("cgroup files", () -> {
            Sandbox sandbox = open(SMALL);
            List<Path> own = isProcess() ? target.cgroupDirs(sandbox) : HostCgroups.of(target.hostPids(sandbox).get(0));
            List<Path> dirs = new ArrayList<>();
            own.forEach(d -> {
                dirs.add(d);
                dirs.add(d.getParent());
            });
            List<Path> files = new ArrayList<>();
            for (Path dir : dirs) {
                for (String name : List.of("cgroup.procs", "pids.max", "memory.max", "memory.limit_in_bytes",
                        "memory.memsw.limit_in_bytes", "cpu.max", "cpu.cfs_quota_us")) {
                    files.add(dir.resolve(name));
                }
            }
            List<Path> existing = files.stream().filter(Files::exists).toList();
            // The sandbox's own member lists change as its commands come and go; every other file must not.
            Set<Path> ownMembers = own.stream().map(d -> d.resolve("cgroup.procs")).collect(Collectors.toSet());
            List<Path> compared = existing.stream().filter(f -> !ownMembers.contains(f)).toList();
            Map<Path, String> before = HostCgroups.read(compared);
            String qemuCgroupBefore = isProcess() ? "" : HostCgroups.membership(target.hostPids(sandbox).get(0));
            // Values that would loosen a limit: harmless to the host if a write went through.
            // In the view, /sys/fs/cgroup is nothing (process driver) or the guest's own cgroup2 tree (microvm);
            // the host's paths are tried too, in case the view had them.
            Ran ran = target.run(sandbox, "w() { case \"$2\" in *cgroup.procs) v=$$ ;; *limit_in_bytes|*quota_us) v=-1 ;;"
                    + " *) v=max ;; esac; if (echo $v > \"$2\") 2>/dev/null; then echo \"$1 $2\"; fi; };"
                    + " for f in /sys/fs/cgroup/cgroup.procs /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max"
                    + " /sys/fs/cgroup/*/cgroup.procs /sys/fs/cgroup/*/memory.max /sys/fs/cgroup/*/pids.max; do"
                    + " [ -e \"$f\" ] && w VIEW_WROTE \"$f\"; done;"
                    + " for f in " + join(existing) + "; do w WROTE \"$f\"; done;"
                    + " mkdir -p /tmp/cg; mount -t cgroup2 none /tmp/cg 2>/dev/null && echo MOUNTED_CGROUP2; true");
            assertThat(HostCgroups.read(compared)).as(ran.both()).isEqualTo(before);
            List<String> wrote = lines(ran.stdout(), "WROTE ");
            assertThat(wrote).as("host cgroup files written from inside: " + ran.both()).isEmpty();
            if (isProcess()) {
                assertThat(ran.stdout()).as(ran.both()).doesNotContain("VIEW_WROTE").doesNotContain("MOUNTED_CGROUP2");
                return "no cgroup file system in the view and none mountable; writes to " + existing.size()
                        + " host files of its own and its parent's cgroups (cgroup.procs, pids.max, memory limits)"
                        + " fail; their values unchanged";
            }
            assertThat(HostCgroups.membership(target.hostPids(sandbox).get(0))).isEqualTo(qemuCgroupBefore);
            List<String> guest = lines(ran.stdout(), "VIEW_WROTE ");
            return "the host's cgroup files do not exist in the guest; QEMU's host cgroups and their " + existing.size()
                    + " files unchanged (QEMU runs in the worker's cgroup: no per-sandbox host cgroup). The guest's own"
                    + " cgroup files are its kernel's and the command, root there, can write them ("
                    + String.join(", ", guest) + "): it can leave the guest cgroup that holds its memoryMb and"
                    + " maxProcesses; the VM still bounds it";
        });
    }

    @Test
    void a_fork_bomb_is_held_by_the_sandbox_and_the_sandbox_is_destroyable_afterwards() throws Exception {
        probe("fork bomb", () -> {
            int limit = 32;
            Sandbox sandbox = open(new Resources(256, 1.0, limit));
            long baseline = HostProcesses.count();
            AtomicLong most = new AtomicLong(baseline);
            AtomicBoolean bombing = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (bombing.get()) {
                    most.accumulateAndGet(HostProcesses.count(), Math::max);
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "host-process-sampler");
            sampler.start();
            Ran ran;
            try {
                ran = target.run(sandbox, "bomb() { bomb | bomb & }; bomb; sleep 5", Duration.ofSeconds(20));
            } finally {
                bombing.set(false);
                sampler.join();
            }
            long growth = most.get() - baseline;
            // Other builds share this machine: the margin is for them; an unbounded bomb makes thousands.
            assertThat(growth).as("host processes grew by %d during the bomb", growth).isLessThan(limit + 200);
            // The guest counts its own processes: its cgroup's pids.events says whether the limit stopped forks.
            Ran alive = target.run(sandbox, "echo alive" + (isProcess() ? "" : "; cat /proc/self/cgroup"
                    + " /sys/fs/cgroup/drover-sandbox/pids.events; cat /sys/fs/cgroup/drover-sandbox/pids.peak 2>/dev/null"),
                    Duration.ofSeconds(60));
            List<Long> pids = target.hostPids(sandbox);
            target.destroy(sandbox);
            opened.remove(sandbox);
            assertThat(HostProcesses.awaitGone(pids, Duration.ofSeconds(5)))
                    .as("host processes of the sandbox left after destroy (pid: /proc/PID/stat)").isEmpty();
            assertThat(ran.stderr()).as(ran.both()).contains("Resource temporarily unavailable");
            assertThat(alive.stdout()).as(alive.both()).startsWith("alive\n");
            if (isProcess()) {
                assertThat(target.processPeak(sandbox).isPresent() ? target.processPeak(sandbox).getAsLong() : 0)
                        .isLessThanOrEqualTo(limit);
                for (Path dir : target.cgroupDirs(sandbox)) {
                    assertThat(dir).as("cgroup after destroy").doesNotExist();
                }
                return "forks refused at pids.max " + limit + "; host process count +" + growth + " at most; the"
                        + " sandbox answered afterwards; destroy removed its cgroups";
            }
            assertThat(alive.stdout()).as(alive.both()).contains("0::/drover-sandbox").containsPattern("max [1-9]");
            List<String> counts = alive.stdout().lines().skip(2).toList();
            String peak = counts.size() > 1 ? counts.get(1) : "?";
            if (counts.size() > 1) {
                assertThat(Long.parseLong(peak)).isLessThanOrEqualTo(limit);
            }
            return "forks refused at the guest cgroup's pids.max " + limit + " (" + counts.get(0).replace("max ", "")
                    + " refused, peak " + peak
                    + "); host process count +" + growth + " at most (QEMU is one process); the guest answered"
                    + " afterwards; destroy ended QEMU";
        });
    }

    @Test
    void a_memory_hog_is_oom_killed_inside_the_sandbox_and_reported() throws Exception {
        probe("memory hog", () -> {
            int memoryMb = 64;
            Sandbox sandbox = open(new Resources(memoryMb, 1.0, 64));
            Ran ran = target.run(sandbox, "head -c " + 600L * 1024 * 1024 + " /dev/zero | tail", Duration.ofSeconds(120));
            assertThat(ran.result().termination()).as(ran.both()).isEqualTo(Termination.OOM_KILLED);
            long peak = target.driver().usage(sandbox).memoryPeakBytes().orElseThrow();
            Ran alive = target.run(sandbox, "echo alive" + (isProcess() ? "" : "; grep oom_kill"
                    + " /sys/fs/cgroup/drover-sandbox/memory.events; cat /sys/fs/cgroup/drover-sandbox/memory.peak"
                    + " 2>/dev/null"));
            assertThat(alive.stdout()).as(alive.both()).startsWith("alive\n");
            if (isProcess()) {
                assertThat(peak).isLessThanOrEqualTo(memoryMb * 1024L * 1024L);
                return "600 MiB against memoryMb " + memoryMb + ": OOM_KILLED, peak " + mib(peak) + " MiB; sandbox and"
                        + " host fine";
            }
            assertThat(alive.stdout()).as(alive.both()).containsPattern("oom_kill [1-9]");
            List<String> figures = alive.stdout().lines().toList();
            String guestPeak = figures.size() > 2 ? mib(Long.parseLong(figures.get(2).strip())) + " MiB" : "not shown";
            if (figures.size() > 2) {
                assertThat(Long.parseLong(figures.get(2).strip())).isLessThanOrEqualTo(memoryMb * 1024L * 1024L);
            }
            // The guest's RAM is the VM's; QEMU's own overhead comes on top of it.
            assertThat(peak).isLessThanOrEqualTo((MicroVmProbeTarget.VM_MEMORY_MB + 192) * 1024L * 1024L);
            return "600 MiB against memoryMb " + memoryMb + " in a " + MicroVmProbeTarget.VM_MEMORY_MB + " MiB guest:"
                    + " the guest cgroup's OOM kill (peak " + guestPeak + "), reported OOM_KILLED; QEMU peak RSS "
                    + mib(peak) + " MiB; the guest answers afterwards";
        });
    }

    @Test
    void a_disk_fill_meets_the_sandbox_s_limit_and_leaves_the_host_s_disk_and_other_sandboxes_alone() throws Exception {
        probe("disk fill", () -> {
            int diskMb = 64;
            Sandbox filler = open(new Resources(256, 1.0, 64, NetworkPolicy.NONE, diskMb));
            Sandbox other = open(new Resources(256, 1.0, 64, NetworkPolicy.NONE, diskMb));
            long freeBefore = Files.getFileStore(target.root()).getUsableSpace();
            // /workspace first, then /tmp: together they share one limit (the process driver's loop-mounted
            // image; the microvm driver's own disk of the clone, /dev/vdb, under both overlays).
            String fill = "dd if=/dev/zero of=/workspace/fill bs=1M count=200 2>&1; dd if=/dev/zero of=/tmp/fill"
                    + " bs=1M count=200 2>&1; df -k /workspace /tmp | tail -2; exit 1";
            Ran ran = target.run(filler, fill, Duration.ofSeconds(180));
            long freeAfter = Files.getFileStore(target.root()).getUsableSpace();
            assertThat(ran.both()).containsIgnoringCase("No space left on device");
            assertThat(ran.result().termination()).as(ran.both()).isEqualTo(Termination.DISK_FULL);
            long hostDrop = Math.max(0, freeBefore - freeAfter);
            Ran still = target.run(other, "echo fine > /workspace/ok && cat /workspace/ok");
            assertThat(still.stdout()).as(still.both()).isEqualTo("fine\n");
            assertThat(hostDrop).as("the host's free space drops by the limit at most")
                    .isLessThan((diskMb + 16) * 1024L * 1024L);
            return "400 MB into /workspace and /tmp against diskMb " + diskMb + ": ENOSPC, reported DISK_FULL;"
                    + " the host's free space dropped " + mib(hostDrop) + " MiB; another sandbox still writes"
                    + (isProcess() ? "" : " (the clone's own disk of diskMb holds both overlays' upper layers)");
        });
    }

    @Test
    void no_host_port_is_reachable_under_none_or_egress() throws Exception {
        probe("host ports", () -> {
            HostListeners listeners = ContainmentTest.listeners();
            List<String> details = new ArrayList<>();
            for (NetworkPolicy policy : List.of(NetworkPolicy.NONE, NetworkPolicy.EGRESS)) {
                Map<String, Integer> before = listeners.counts();
                Sandbox sandbox = open(SMALL.withNetwork(policy));
                List<String> endpoints = new ArrayList<>(listeners.all().stream().map(HostListeners.Listener::endpoint).toList());
                String ports = listeners.all().stream().map(l -> Integer.toString(l.port())).distinct()
                        .collect(Collectors.joining(" "));
                if (!isProcess()) {
                    // where QEMU's user network would put the host's loopback
                    listeners.all().forEach(l -> endpoints.add("10.0.2.2:" + l.port()));
                }
                String forward = "127.0.0.1:" + io.drover.sandbox.LlmGateway.SANDBOX_PORT;
                Ran ran = target.run(sandbox, "gw=$(ip route 2>/dev/null | awk '/^default/ {print $3; exit}');"
                        + " extra=; [ -n \"$gw\" ] && for p in " + ports + "; do extra=\"$extra $gw:$p\"; done;"
                        + " for e in " + String.join(" ", endpoints) + " $extra " + forward + "; do"
                        + " if timeout 3 bash -c \"exec 3<>/dev/tcp/${e%:*}/${e#*:}\" 2>/dev/null;"
                        + " then echo \"OPEN $e\"; else echo \"SHUT $e\"; fi; done", Duration.ofSeconds(150));
                Thread.sleep(300); // the acceptors count what connected
                Map<String, Integer> after = listeners.counts();
                List<String> open = lines(ran.stdout(), "OPEN ");
                String gateway = "llm-gateway@" + listeners.gateway().endpoint();
                for (var count : after.entrySet()) {
                    int reached = count.getValue() - before.get(count.getKey());
                    int expected = isProcess() && count.getKey().equals(gateway) ? 1 : 0;
                    assertThat(reached).as("connections to %s from a sandbox with %s: %s", count.getKey(),
                            policy.canonical(), ran.both()).isEqualTo(expected);
                }
                int probed = lines(ran.stdout(), "SHUT ").size() + open.size();
                if (isProcess()) {
                    assertThat(open).as(ran.both()).containsExactly(forward);
                    details.add(policy.canonical() + ": " + (probed - 1) + " host endpoints shut, only the gateway"
                            + " forward " + forward + " open (it reached the gateway's listener)");
                } else {
                    assertThat(open).as("open endpoints are the guest's own loopback, never the host's").allMatch(
                            e -> e.startsWith("127.0.0.1:"));
                    details.add(policy.canonical() + ": " + probed + " endpoints probed, no host listener reached"
                            + " (no network device; no gateway forward)");
                }
                target.destroy(sandbox);
                opened.remove(sandbox);
            }
            return "API, PostgreSQL and gateway stand-ins on 127.0.0.1" + HostListeners.primaryAddress()
                    .map(a -> " and " + a).orElse("") + "; " + String.join("; ", details);
        });
    }

    @Test
    void files_and_processes_of_one_sandbox_are_invisible_to_another() throws Exception {
        probe("another sandbox's files", () -> {
            String tag = UUID.randomUUID().toString().substring(0, 12);
            String marker = "drover-in-a-" + tag;
            Sandbox a = open(SMALL);
            Sandbox b = open(SMALL);
            Ran wrote = target.run(a, "echo secret-" + tag + " > /workspace/a-" + tag + "; echo secret-" + tag
                    + " > /tmp/a-" + tag + "; sync; cat /workspace/a-" + tag + " /tmp/a-" + tag);
            assertThat(wrote.stdout()).as(wrote.both()).isEqualTo("secret-" + tag + "\nsecret-" + tag + "\n");
            // The marker is bash's $0, not exec -a: the guest's sleep is busybox, which goes by argv[0].
            Execution running = target.start(a, "bash -c 'sleep 120; :' " + marker, Duration.ofMinutes(3));
            try {
                if (isProcess()) {
                    // each command has a pid namespace of its own: the host sees A's process, A's next command would not
                    assertThat(awaitSome(marker)).as("A's process runs").isNotEmpty();
                } else {
                    Ran inA = target.run(a, "for i in $(seq 1 50); do grep -qas '" + HostProcesses.unselfish(marker)
                            + "' /proc/[0-9]*/cmdline && break; sleep 0.1; done; grep -las '"
                            + HostProcesses.unselfish(marker) + "' /proc/[0-9]*/cmdline | wc -l");
                    assertThat(inA.stdout().strip()).as("A's process runs in A: " + inA.both()).isNotEqualTo("0");
                }
                Ran seen = target.run(b, "cat /workspace/a-" + tag + " /tmp/a-" + tag + " 2>/dev/null;"
                        + " ls -A /workspace /tmp; echo \"SEEN:$(grep -las '" + HostProcesses.unselfish(marker)
                        + "' /proc/[0-9]*/cmdline | tr '\\n' ' ')\"");
                assertThat(seen.stdout()).as(seen.both()).doesNotContain("secret-").doesNotContain("a-" + tag)
                        .contains("from-base");
                assertThat(line(seen.stdout(), "SEEN:")).as(seen.both()).isEmpty();
            } finally {
                running.kill();
                running.await();
            }
            return "A's /workspace and /tmp files absent in B (B sees only the base's); A's running process not in B's /proc";
        });
    }

    @Test
    void a_daemon_started_by_a_command_does_not_outlive_its_sandbox() throws Exception {
        probe("a process outliving its attempt", () -> {
            String marker = "drover-daemon-" + UUID.randomUUID().toString().substring(0, 12);
            Sandbox sandbox = open(SMALL);
            // The marker is put together inside, so that the command's own argv (the guest's bash -c) lacks it;
            // the guest's busybox has no nohup, so the daemon also ignores SIGHUP itself.
            String half = marker.substring(0, 7);
            Ran started = target.run(sandbox, "h=" + half + "; setsid $(command -v nohup) bash -c 'trap \"\" HUP; sleep 1000; :'"
                    + " \"${h}" + marker.substring(7) + "\""
                    + " >/dev/null 2>&1 </dev/null & for i in $(seq 1 50); do n=$(grep -las '"
                    + HostProcesses.unselfish(marker) + "' /proc/[0-9]*/cmdline | wc -l); [ \"$n\" -ge 1 ] && break;"
                    + " sleep 0.1; done; echo \"RUNNING:$n\"; true");
            assertThat(line(started.stdout(), "RUNNING:").strip()).as("the daemon started: " + started.both())
                    .isEqualTo("1");
            List<Long> hostPids = target.hostPids(sandbox);
            if (isProcess()) {
                assertThat(HostProcesses.awaitNoneWith(marker, Duration.ofSeconds(5)))
                        .as("the daemon on the host after its command ended").isEmpty();
                target.destroy(sandbox);
                opened.remove(sandbox);
                assertThat(HostProcesses.withArgument(marker)).isEmpty();
                return "setsid + nohup + & daemon gone from the host once its command ended (its pid namespace"
                        + " ends with the command), and after destroy";
            }
            Ran later = target.run(sandbox, "grep -las '" + HostProcesses.unselfish(marker) + "' /proc/[0-9]*/cmdline | wc -l");
            boolean survivedInGuest = later.stdout().strip().equals("1");
            target.destroy(sandbox);
            opened.remove(sandbox);
            assertThat(hostPids).hasSize(1);
            assertThat(ProcessHandle.of(hostPids.get(0)).map(ProcessHandle::isAlive).orElse(false))
                    .as("QEMU after destroy").isFalse();
            assertThat(HostProcesses.withArgument(marker)).isEmpty();
            return "never a host process; " + (survivedInGuest ? "it outlives its command inside the guest (it left the"
                    + " command's session) until the sandbox ends" : "gone in the guest once its command ended")
                    + "; destroy (every release) ended QEMU and it with it";
        });
    }

    // ---- helpers

    @FunctionalInterface
    interface Check {
        String run() throws Exception;
    }

    /** Runs one probe and records what it found in the table, held or not. */
    private void probe(String name, Check check) throws Exception {
        try {
            ContainmentTable.held(name, target.name(), check.run());
        } catch (AssertionError | Exception e) {
            String message = String.valueOf(e.getMessage()).replaceAll("\\s+", " ").strip();
            ContainmentTable.failed(name, target.name(), message.length() > 400 ? message.substring(0, 400) + "…" : message);
            throw e;
        }
    }

    private static List<Long> awaitSome(String marker) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<Long> found = HostProcesses.withArgument(marker);
        while (found.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            found = HostProcesses.withArgument(marker);
        }
        return found;
    }

    private static String join(List<Path> paths) {
        return paths.stream().map(Path::toString).collect(Collectors.joining(" "));
    }

    /** The rest of the first line starting with {@code prefix}, trimmed; empty when there is none. */
    private static String line(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).findFirst().map(l -> l.substring(prefix.length()).strip())
                .orElse("");
    }

    private static List<String> lines(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()).strip()).toList();
    }

    /** The first of {@code candidates} that occurs in {@code text}, to name the error in the table. */
    private static String firstMatching(String text, String... candidates) {
        for (String candidate : candidates) {
            if (text.contains(candidate)) {
                return candidate;
            }
        }
        return text.lines().findFirst().orElse("no message").strip();
    }

    private static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    private static long mib(long bytes) {
        return bytes / (1024 * 1024);
    }
}
