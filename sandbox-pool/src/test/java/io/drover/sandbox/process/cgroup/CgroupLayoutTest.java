package io.drover.sandbox.process.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupLayoutTest {
    @TempDir
    Path dir;

    private CgroupLayout parse(String mounts) throws Exception {
        Path file = dir.resolve("mounts");
        Files.writeString(file, mounts);
        return CgroupLayout.parse(file);
    }

    @Test
    void a_host_with_only_cgroup2_is_detected_as_unified() throws Exception {
        CgroupLayout layout = parse("""
                proc /proc proc rw 0 0
                cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime 0 0
                """);

        assertThat(layout.describe()).isEqualTo("cgroup v2 unified");
        assertThat(layout.hierarchies()).containsExactly(Path.of("/sys/fs/cgroup"));
    }

    @Test
    void v1_controllers_beside_a_cgroup2_tree_are_detected_as_hybrid() throws Exception {
        CgroupLayout layout = parse("""
                cgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw,relatime,cpu,cpuacct 0 0
                cgroup /sys/fs/cgroup/memory cgroup rw,relatime,memory 0 0
                cgroup /sys/fs/cgroup/pids cgroup rw,relatime,pids 0 0
                cgroup /sys/fs/cgroup/freezer cgroup rw,relatime,freezer 0 0
                cgroup /sys/fs/cgroup/systemd cgroup rw,relatime,name=systemd 0 0
                cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0
                """);

        assertThat(layout.describe()).isEqualTo("hybrid v1+v2");
        // co-mounted cpu and cpuacct share one directory, created once per sandbox
        assertThat(layout.hierarchies()).containsExactly(Path.of("/sys/fs/cgroup/memory"), Path.of("/sys/fs/cgroup/pids"),
                Path.of("/sys/fs/cgroup/cpu,cpuacct"), Path.of("/sys/fs/cgroup/freezer"), Path.of("/sys/fs/cgroup/unified"));
    }

    @Test
    void this_machine_has_a_usable_layout() {
        CgroupLayout layout = CgroupLayout.detect();

        layout.requireUsable();
        assertThat(layout.describe()).isIn("cgroup v2 unified", "hybrid v1+v2", "cgroup v1");
    }
}
