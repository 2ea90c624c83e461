package io.drover.sandbox.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.sandbox.preflight.Check;
import io.drover.sandbox.preflight.Checked;
import io.drover.sandbox.process.cgroup.MemoryBudget;
import io.drover.sandbox.process.cgroup.MemoryLimit;
import io.drover.sandbox.process.overlay.OverlayMount;
import io.drover.sandbox.process.overlay.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class PreflightTest {
    @TempDir
    Path temp;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void a_machine_with_everything_passes_every_check_and_a_canary_sandbox_runs() {
        try (DriverFixture fixture = new DriverFixture()) {
            Checked<ProcessDriver> started = ProcessDriver.start(ProcessDriverSettings.defaults(fixture.root)
                    .withGatewayPort(java.util.OptionalInt.of(4_000)));
            try {
                assertThat(started.preflight().checks()).extracting(Check::name).containsExactly("root", "capabilities", "bubblewrap",
                        "util-linux", "pasta", "nft", "/dev/net/tun", "cgroups", "memory", "overlay", "disk limit", "canary");
                assertThat(started.preflight().passed()).as(started.preflight().checks().toString()).isTrue();
                assertThat(started.preflight().reason()).isEmpty();
                assertThat(started.driver()).isPresent();
            } finally {
                started.driver().ifPresent(ProcessDriver::close);
            }
            assertThat(OverlayMount.mountPointsUnder(fixture.root)).as("the overlay probe and the canary").isEmpty();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void a_disk_probe_that_fails_is_refused_naming_the_switch_that_turns_the_limit_off() throws Exception {
        // A root under a file: the probe cannot make its image there, as on a host without loop devices it cannot mount it.
        Path file = java.nio.file.Files.createFile(temp.resolve("not-a-directory"));

        var check = ProcessPreflight.disk(io.drover.sandbox.process.disk.DiskLimit.LOOP, file);

        assertThat(check.passed()).isFalse();
        assertThat(check.detail()).contains("drover.pool.disk-limit=none").contains("loop");
        assertThat(DiskLimitTest.losetupAll()).doesNotContain(temp.toString());
    }

    @Test
    void a_disk_limit_switched_off_passes_and_says_so() {
        var check = ProcessPreflight.disk(io.drover.sandbox.process.disk.DiskLimit.NONE, temp);

        assertThat(check.passed()).isTrue();
        assertThat(check.detail()).contains("NOT limited");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void a_data_dir_on_an_overlay_filesystem_is_refused_naming_the_setting() throws Exception {
        Path layers = temp.resolve("container-root");
        for (String dir : List.of("lower", "upper", "work", "merged")) {
            Files.createDirectories(layers.resolve(dir));
        }
        Path merged = layers.resolve("merged");
        OverlayMount.mount(List.of(layers.resolve("lower")), layers.resolve("upper"), layers.resolve("work"), merged);
        try {
            Check overlay = ProcessPreflight.overlay(merged.resolve("data").resolve("sandboxes"));

            assertThat(overlay.passed()).isFalse();
            assertThat(overlay.detail()).contains("on an overlay filesystem").contains("drover.data-dir");
            assertThat(OverlayMount.mountPointsUnder(merged)).as("nothing left mounted above the container root")
                    .containsExactly(merged);
        } finally {
            OverlayMount.unmount(merged);
            Trees.delete(layers);
        }
    }

    @Test
    void bubblewrap_older_than_the_options_the_launcher_passes_is_refused() {
        assertThat(ProcessPreflight.parse("bubblewrap 0.6.1")).hasValueSatisfying(v -> assertThat(
                ProcessPreflight.compare(v, ProcessPreflight.MIN_BUBBLEWRAP)).isNegative());
        assertThat(ProcessPreflight.parse("bubblewrap 0.8.0")).hasValueSatisfying(v -> assertThat(
                ProcessPreflight.compare(v, ProcessPreflight.MIN_BUBBLEWRAP)).isZero());
        assertThat(ProcessPreflight.parse("bubblewrap 0.11")).hasValueSatisfying(v -> assertThat(
                ProcessPreflight.compare(v, ProcessPreflight.MIN_BUBBLEWRAP)).isPositive());
        assertThat(ProcessPreflight.parse("no version here")).isEmpty();
    }

    @Test
    void a_root_without_a_capability_the_driver_uses_is_told_which_and_what_needs_it() {
        assertThat(ProcessPreflight.capabilities(List.of("Name:\tjava", "CapEff:\t000001ffffffffff")).passed()).isTrue();
        // A container's default set less KILL: chown dac_override fowner fsetid setgid setuid setpcap
        // net_bind_service net_raw sys_chroot mknod audit_write setfcap, plus SYS_ADMIN and NET_ADMIN.
        Check without = ProcessPreflight.capabilities(List.of("CapEff:\t00000000a82435db"));

        assertThat(without.passed()).isFalse();
        assertThat(without.detail()).startsWith("missing CAP_KILL (stopping commands at their timeout")
                .doesNotContain("SYS_ADMIN").doesNotContain("SETUID");
    }

    @Test
    void a_sandbox_budget_beyond_the_pods_memory_limit_is_refused_naming_the_settings() {
        MemoryBudget budget = new MemoryBudget(8, 512, "drover.pool.max-sandboxes", "drover.pool.sandbox-memory-mb");
        MemoryLimit pod = new MemoryLimit(4L << 30, Path.of("/sys/fs/cgroup/memory.max"));

        Check tooMuch = ProcessPreflight.memory(Optional.of(budget), Optional.of(pod), 1L << 30);
        assertThat(tooMuch.passed()).isFalse();
        assertThat(tooMuch.detail()).contains("drover.pool.max-sandboxes (8)", "drover.pool.sandbox-memory-mb (512)",
                "4096 MiB for sandboxes", "1024 MiB of JVM heap", "4096 MiB memory limit (/sys/fs/cgroup/memory.max)",
                "resources.limits.memory");

        assertThat(ProcessPreflight.memory(Optional.of(budget), Optional.of(pod), 0).passed()).isTrue();
        assertThat(ProcessPreflight.memory(Optional.of(budget), Optional.empty(), 1L << 30).passed()).isTrue();
    }
}
