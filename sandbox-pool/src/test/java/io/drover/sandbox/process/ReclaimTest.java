package io.drover.sandbox.process;

import static io.drover.sandbox.process.DriverFixture.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.Command;
import io.drover.sandbox.Execution;
import io.drover.sandbox.OutputSink;
import io.drover.sandbox.Resources;
import io.drover.sandbox.process.disk.LoopDevices;
import io.drover.sandbox.process.overlay.OverlayMount;
import io.drover.sandbox.process.reclaim.Owner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReclaimTest {
    private final DriverFixture fixture = new DriverFixture();

    @AfterEach
    void cleanUp() {
        fixture.close();
    }

    private static Execution sleepIn(ProcessDriver driver, ProcessSandbox sandbox) throws Exception {
        Execution sleeping = driver.exec(sandbox, new Command("sleep 600", DriverFixture.ENV, Duration.ofMinutes(5),
                OutputSink.DISCARD, OutputSink.DISCARD));
        await().until(() -> sandbox.cgroup().pids().size() >= 3);
        return sleeping;
    }

    @Test
    void a_new_driver_reclaims_the_sandboxes_of_a_dead_one() throws Exception {
        // This JVM's pid with another start time: the owner a crashed process whose pid was reused would be.
        Owner current = Owner.current();
        Owner dead = new Owner(current.pid(), current.startTicks() - 1, current.instance());
        ProcessDriver crashed = fixture.driver(dead);
        ProcessSandbox orphan = (ProcessSandbox) DriverFixture.cloneOf(crashed, BaseSpec.of("host"), Resources.DEFAULT);
        Execution sleeping = sleepIn(crashed, orphan);
        List<Long> pids = orphan.cgroup().pids();

        fixture.driver();

        sleeping.await();
        await().until(() -> pids.stream().allMatch(pid -> ProcessHandle.of(pid).isEmpty()));
        assertThat(orphan.cgroup().directories()).allSatisfy(cgroup -> assertThat(cgroup).doesNotExist());
        assertThat(OverlayMount.isMounted(orphan.dirs().merged())).isFalse();
        assertThat(fixture.root.resolve("sandboxes").resolve(dead.name())).doesNotExist();
    }

    @Test
    void a_new_driver_reclaims_the_disk_image_loop_device_and_mounts_of_a_dead_one() throws Exception {
        Owner current = Owner.current();
        Owner dead = new Owner(current.pid(), current.startTicks() - 3, current.instance());
        ProcessDriver crashed = fixture.driver(dead);
        ProcessSandbox orphan = (ProcessSandbox) DriverFixture.cloneOf(crashed, BaseSpec.of("host"),
                Resources.DEFAULT.withDiskMb(32));
        run(crashed, orphan, "dd if=/dev/zero of=/tmp/data bs=1M count=8 status=none");
        Execution sleeping = sleepIn(crashed, orphan);
        Path image = orphan.dirs().image();
        // A crash between attaching a loop device and mounting it leaves a device and no mount: reclaim frees it too.
        Path half = orphan.dirs().dir().getParent().resolve("sb-halfmade");
        java.nio.file.Files.createDirectories(half.resolve("disk"));
        java.nio.file.Files.write(half.resolve("disk.img"), new byte[1024 * 1024]);
        String device = new String(new ProcessBuilder("losetup", "-f", "--show", half.resolve("disk.img").toString())
                .start().getInputStream().readAllBytes()).strip();
        assertThat(device).startsWith("/dev/loop");
        assertThat(LoopDevices.of(image)).hasSize(1);
        assertThat(OverlayMount.isMounted(orphan.dirs().disk())).isTrue();

        fixture.driver();

        sleeping.await();
        await().atMost(Duration.ofSeconds(10)).until(() -> LoopDevices.of(image).isEmpty()
                && !DiskLimitTest.losetupAll().contains(fixture.root.toString()));
        assertThat(OverlayMount.mountPointsUnder(fixture.root)).isEmpty();
        assertThat(image).doesNotExist();
        assertThat(fixture.root.resolve("sandboxes").resolve(dead.name())).doesNotExist();
    }

    @Test
    void a_sandbox_left_half_removed_by_a_dead_driver_does_not_stop_the_next_start() throws Exception {
        Owner current = Owner.current();
        Owner dead = new Owner(current.pid(), current.startTicks() - 2, current.instance());
        ProcessDriver crashed = fixture.driver(dead);
        ProcessSandbox orphan = (ProcessSandbox) DriverFixture.cloneOf(crashed, BaseSpec.of("host"), Resources.DEFAULT);
        Execution sleeping = sleepIn(crashed, orphan);
        List<Long> pids = orphan.cgroup().pids();
        // The driver died while removing the sandbox: its cgroup2 directory is gone (the one that freezes and
        // kills), the v1 ones still hold processes. Only the hybrid layout has several directories per sandbox.
        List<Path> dirs = orphan.cgroup().directories();
        org.junit.jupiter.api.Assumptions.assumeTrue(dirs.size() > 1, "needs the hybrid cgroup layout");
        Path first = dirs.stream().filter(d -> d.toString().contains("/unified/")).findFirst().orElse(dirs.get(0));
        for (long pid : pids) {
            java.nio.file.Files.writeString(first.getParent().resolve("cgroup.procs"), Long.toString(pid));
        }
        java.nio.file.Files.delete(first);

        fixture.driver();

        sleeping.await();
        await().until(() -> pids.stream().allMatch(pid -> ProcessHandle.of(pid).isEmpty()));
        assertThat(orphan.cgroup().directories()).allSatisfy(cgroup -> assertThat(cgroup).doesNotExist());
        assertThat(fixture.root.resolve("sandboxes").resolve(dead.name())).doesNotExist();
    }

    @Test
    void a_starting_driver_leaves_a_live_drivers_sandboxes_alone() throws Exception {
        ProcessDriver live = fixture.driver();
        ProcessSandbox sandbox = (ProcessSandbox) DriverFixture.cloneOf(live, BaseSpec.of("host"), Resources.DEFAULT);
        run(live, sandbox, "echo kept > file");
        Execution sleeping = sleepIn(live, sandbox);

        fixture.driver();

        assertThat(sandbox.cgroup().pids()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(run(live, sandbox, "cat file").stdout()).isEqualTo("kept\n");
        assertThat(Path.of(sandbox.dirs().merged().toString())).exists();
        sleeping.kill();
    }
}
