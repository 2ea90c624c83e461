package io.drover.sandbox.process.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pod's cgroup namespace, faked with plain files: the JVM's leaf and the limit it shares with sandboxes. */
class PodCgroupTest {
    @TempDir
    Path mount;

    private CgroupLayout pureV2() {
        return new CgroupLayout(Optional.of(mount), Map.of());
    }

    @Test
    void in_the_namespace_root_of_a_pod_the_jvm_moves_itself_and_its_neighbours_into_a_leaf() throws Exception {
        Files.writeString(mount.resolve("cgroup.type"), "domain\n");
        Files.writeString(mount.resolve("cgroup.procs"), "1\n42\n");
        Files.createDirectories(mount.resolve("drover-jvm"));
        Files.writeString(mount.resolve("drover-jvm/cgroup.procs"), ""); // the kernel makes it with the directory
        OwnCgroup own = OwnCgroup.parse(pureV2(), "0::/\n");

        Optional<Path> leaf = LeafPlacement.ifNeeded(pureV2(), own, "drover");

        assertThat(leaf).contains(mount.resolve("drover-jvm"));
        assertThat(Files.readAllLines(mount.resolve("drover-jvm/cgroup.procs"))).containsExactly("1", "42");
    }

    @Test
    void the_machines_root_cgroup_and_a_cgroup_away_from_the_sandboxes_tree_stay_as_they_are() throws Exception {
        Files.writeString(mount.resolve("cgroup.procs"), "1\n");
        assertThat(LeafPlacement.ifNeeded(pureV2(), OwnCgroup.parse(pureV2(), "0::/\n"), "drover")).isEmpty();

        Files.createDirectories(mount.resolve("system.slice/drover.service"));
        Files.writeString(mount.resolve("system.slice/drover.service/cgroup.type"), "domain\n");
        OwnCgroup service = OwnCgroup.parse(pureV2(), "0::/system.slice/drover.service\n");
        assertThat(LeafPlacement.ifNeeded(pureV2(), service, "drover")).isEmpty();
        assertThat(mount.resolve("drover-jvm")).doesNotExist();
    }

    @Test
    void the_limit_that_counts_is_the_one_on_a_cgroup_holding_both_the_jvm_and_the_sandboxes() throws Exception {
        Files.writeString(mount.resolve("memory.max"), "2147483648\n");
        Files.createDirectories(mount.resolve("drover-jvm"));
        Files.writeString(mount.resolve("drover-jvm/memory.max"), "max\n");
        OwnCgroup own = OwnCgroup.parse(pureV2(), "0::/drover-jvm\n");

        assertThat(MemoryLimit.shared(pureV2(), own, "drover"))
                .contains(new MemoryLimit(2_147_483_648L, mount.resolve("memory.max")));
    }

    @Test
    void a_limit_on_the_jvms_cgroup_alone_does_not_cover_sandboxes_elsewhere() throws Exception {
        Path memory = mount.resolve("memory");
        Files.createDirectories(memory.resolve("docker/abc"));
        Files.writeString(memory.resolve("memory.limit_in_bytes"), "9223372036854771712\n");
        Files.writeString(memory.resolve("docker/abc/memory.limit_in_bytes"), "1073741824\n");
        CgroupLayout hybrid = new CgroupLayout(Optional.of(mount.resolve("unified")), Map.of("memory", memory));

        OwnCgroup own = OwnCgroup.parse(hybrid, "4:memory:/docker/abc\n0::/\n");

        assertThat(own.memory(hybrid)).contains(memory.resolve("docker/abc"));
        assertThat(MemoryLimit.shared(hybrid, own, "drover")).isEmpty();
    }
}
