package io.drover.workers.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.persistence.Database;
import io.drover.persistence.instance.InstanceStore;
import io.drover.persistence.snapshot.BaseCopy;
import io.drover.persistence.snapshot.PeerCopies;
import io.drover.persistence.snapshot.SnapshotState;
import io.drover.persistence.testing.TestDatabases;
import io.drover.sandbox.BaseBuildLock;
import io.drover.sandbox.BaseLayers;
import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.SandboxException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one database, each a process driver on its own root: each builds or fetches its
 * own copy, never waits on the other's build, and collects only its own.
 */
@Timeout(120)
class BasesPerNodeTest {
    private static final Duration GONE_AFTER = Duration.ofSeconds(30);

    @TempDir
    Path temp;
    private final Database db = TestDatabases.fresh();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    /** A setup whose output differs at every run: a copy with the same bytes was fetched, not built. */
    private static BaseSpec randomSetup() {
        return new BaseSpec("host", List.of("mkdir -p /workspace/repo && head -c 200000 /dev/urandom"
                + " > /workspace/repo/blob && ln -s blob /workspace/repo/link && echo " + UUID.randomUUID()
                + " > /workspace/id"), Map.of());
    }

    @Test
    void a_node_builds_its_own_copy_while_another_node_holds_the_build_lock_of_the_same_base() throws Exception {
        Testbed a = node("node-a", Optional.empty());
        Testbed b = node("node-b", Optional.empty());
        BaseSpec spec = randomSetup();

        // node-a is in the middle of its build (it holds its lock for the hash) for as long as this test runs.
        try (BaseBuildLock.Held busy = a.lock.acquire(spec.hash())) {
            BaseSnapshot onB = b.driver.prepareBase(spec);
            assertThat(onB.location().resolve("id")).exists();
        }
        a.driver.prepareBase(spec);

        assertThat(copy(b, spec).state()).isEqualTo(SnapshotState.READY);
        assertThat(copy(a, spec).state()).isEqualTo(SnapshotState.READY);
        // Each node's build is recorded and priced once, on its node.
        assertThat(builds(spec)).containsExactlyInAnyOrder("node-a built", "node-b built");
    }

    @Test
    void a_node_lacking_a_base_fetches_it_from_a_live_peer_verified_and_records_it_fetched() throws Exception {
        Testbed a = node("node-a", Optional.empty());
        LayerHttp served = serve(a);
        new InstanceStore(db).register("worker-a", "node-a", "api,worker,scheduler", served.address());
        Testbed b = fetching("node-b");
        BaseSpec spec = randomSetup();
        BaseSnapshot onA = a.driver.prepareBase(spec);

        BaseSnapshot onB = b.driver.prepareBase(spec);

        assertThat(Files.readAllBytes(onB.location().resolve("repo/blob")))
                .isEqualTo(Files.readAllBytes(onA.location().resolve("repo/blob")));
        assertThat(Files.readSymbolicLink(onB.location().resolve("repo/link"))).isEqualTo(Path.of("blob"));
        assertThat(Files.getOwner(onB.location().resolve("id"))).isEqualTo(Files.getOwner(onA.location().resolve("id")));
        BaseCopy fetched = copy(b, spec);
        assertThat(fetched.state()).isEqualTo(SnapshotState.READY);
        assertThat(fetched.fetchedFrom()).isEqualTo("node-a");
        assertThat(fetched.fetchedMs()).isNotNull();
        assertThat(fetched.buildMs()).isNull();
        assertThat(fetched.contentHash()).isEqualTo(copy(a, spec).contentHash())
                .isEqualTo(b.process.layers().orElseThrow().contentHash(spec.hash()));
        // node-b's copy is charged for its storage, with no setup.
        assertThat(builds(spec)).containsExactlyInAnyOrder("node-a built", "node-b fetched from node-a");
        assertThat(leftovers(b)).isEmpty();
    }

    @Test
    void a_node_builds_the_base_itself_when_the_peer_that_holds_it_cannot_be_reached() throws Exception {
        Testbed a = node("node-a", Optional.empty());
        new InstanceStore(db).register("worker-a", "node-a", "worker", "http://127.0.0.1:9"); // nothing listens
        Testbed b = fetching("node-b");
        BaseSpec spec = randomSetup();
        BaseSnapshot onA = a.driver.prepareBase(spec);

        BaseSnapshot onB = b.driver.prepareBase(spec);

        assertThat(Files.readAllBytes(onB.location().resolve("repo/blob")))
                .isNotEqualTo(Files.readAllBytes(onA.location().resolve("repo/blob")));
        assertThat(copy(b, spec).fetchedFrom()).isNull();
        assertThat(builds(spec)).containsExactlyInAnyOrder("node-a built", "node-b built");
    }

    @Test
    void a_layer_that_does_not_hash_to_the_recorded_content_hash_is_refused_and_leaves_nothing() throws Exception {
        Testbed a = node("node-a", Optional.empty());
        Testbed b = node("node-b", Optional.empty());
        BaseSpec spec = randomSetup();
        a.driver.prepareBase(spec);
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        BaseLayers fromA = a.process.layers().orElseThrow();
        fromA.export(spec.hash(), tar);
        String wrong = "sha256:" + "0".repeat(64);

        assertThatThrownBy(() -> b.process.layers().orElseThrow()
                .install(spec, new ByteArrayInputStream(tar.toByteArray()), wrong))
                .isInstanceOf(SandboxException.class).hasMessageContaining("not to the recorded " + wrong);

        assertThat(b.process.layers().orElseThrow().find(spec)).isEmpty();
        assertThat(leftovers(b)).isEmpty();
        // The same stream with the right hash installs.
        assertThat(b.process.layers().orElseThrow().install(spec, new ByteArrayInputStream(tar.toByteArray()),
                fromA.contentHash(spec.hash())).location().resolve("id")).exists();
    }

    @Test
    void a_peer_serves_only_its_ready_bases_and_only_with_the_token_when_one_is_set() throws Exception {
        Testbed a = node("node-a", Optional.empty());
        BaseSpec spec = randomSetup();
        a.driver.prepareBase(spec);
        BaseLayerServer open = new BaseLayerServer(a.copies, a.drivers, "node-a", Optional.empty());
        BaseLayerServer guarded = new BaseLayerServer(a.copies, a.drivers, "node-a", Optional.of("s3cret"));
        InetAddress loopback = InetAddress.getLoopbackAddress();
        InetAddress remote = InetAddress.getByName("10.1.2.3");

        assertThat(open.open(spec.hash(), Optional.empty(), loopback)).isInstanceOf(BaseLayerServer.Answer.Layer.class);
        assertThat(open.open(spec.hash(), Optional.empty(), remote))
                .isEqualTo(new BaseLayerServer.Answer.Refused(403, "without drover.snapshots.peer-token only this"
                        + " machine is served; set the same token on every node to fetch bases across machines"));
        assertThat(open.open("../../etc", Optional.empty(), loopback)).extracting("status").isEqualTo(404);
        assertThat(open.open("f".repeat(64), Optional.empty(), loopback)).extracting("status").isEqualTo(404);
        assertThat(guarded.open(spec.hash(), Optional.of("Bearer wrong"), remote)).extracting("status").isEqualTo(401);
        assertThat(guarded.open(spec.hash(), Optional.of("Bearer s3cret"), remote))
                .isInstanceOf(BaseLayerServer.Answer.Layer.class);
    }

    @Test
    void each_node_collects_only_its_own_idle_copy_and_the_base_is_deleted_when_none_is_left() throws Exception {
        Testbed a = node("node-a", Optional.empty());
        Testbed b = node("node-b", Optional.empty());
        BaseSpec spec = randomSetup();
        BaseSnapshot onA = a.driver.prepareBase(spec);
        BaseSnapshot onB = b.driver.prepareBase(spec);
        a.clock.advance(Testbed.GC_AFTER.plusMinutes(1));

        assertThat(a.collector().collect()).hasSize(1);
        assertThat(b.collector().collect()).isEmpty(); // node-b's clock has not moved: its copy was just used

        assertThat(onA.location()).doesNotExist();
        assertThat(onB.location()).exists();
        assertThat(copy(a, spec).state()).isEqualTo(SnapshotState.DELETED);
        assertThat(a.store.find(spec.hash()).orElseThrow().state()).isEqualTo(SnapshotState.READY);

        b.clock.advance(Testbed.GC_AFTER.plusMinutes(1));
        assertThat(b.collector().collect()).hasSize(1);
        assertThat(a.store.find(spec.hash()).orElseThrow().state()).isEqualTo(SnapshotState.DELETED);
        assertThat(storageEnded(spec)).isEqualTo(2);
    }

    @Test
    void a_base_recorded_before_copies_were_per_node_is_adopted_by_the_node_that_finds_it_on_disk() throws Exception {
        Path root = temp.resolve("shared-root");
        BaseSpec spec = randomSetup();
        try (Testbed before = new Testbed(root, db, BaseCopy.LEGACY_NODE, Optional.empty())) {
            before.driver.prepareBase(spec); // what V13 makes of a READY base: a copy of node 'legacy'
        }
        Testbed after = track(new Testbed(root, db, "node-a", Optional.empty()));

        after.driver.prepareBase(spec);

        assertThat(after.copies.find(spec.hash(), BaseCopy.LEGACY_NODE)).isEmpty();
        assertThat(copy(after, spec).state()).isEqualTo(SnapshotState.READY);
        assertThat(builds(spec)).containsExactly("node-a built"); // the old build, now node-a's, not a second one
    }

    private Testbed node(String name, Optional<PeerFetch> peers) throws Exception {
        return track(new Testbed(temp.resolve(name), db, name, peers));
    }

    /** A node that fetches missing bases from its live peers before it builds them. */
    private Testbed fetching(String name) throws Exception {
        return node(name, Optional.of(new PeerFetch(new PeerCopies(db), name, GONE_AFTER, Optional.empty())));
    }

    private <T extends AutoCloseable> T track(T t) {
        open.add(t);
        return t;
    }

    private LayerHttp serve(Testbed bed) throws Exception {
        return track(new LayerHttp(new BaseLayerServer(bed.copies, bed.drivers, bed.node, Optional.empty())));
    }

    private static BaseCopy copy(Testbed bed, BaseSpec spec) {
        return bed.copies.find(spec.hash(), bed.node).orElseThrow();
    }

    private List<String> builds(BaseSpec spec) {
        return query("SELECT node || CASE WHEN fetched_from IS NULL THEN ' built' ELSE ' fetched from ' || fetched_from"
                + " END || CASE WHEN CASE WHEN fetched_from IS NULL THEN setup_usd > 0 ELSE setup_usd = 0 AND build_ms = 0 END"
                + " THEN '' ELSE ' MISPRICED' END"
                + " FROM base_build WHERE base_hash = ?", spec.hash());
    }

    private int storageEnded(BaseSpec spec) {
        return query("SELECT node FROM base_build WHERE base_hash = ? AND deleted_at IS NOT NULL", spec.hash()).size();
    }

    private List<String> query(String sql, String hash) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, hash);
                List<String> rows = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(rs.getString(1));
                    }
                }
                return rows;
            }
        });
    }

    private static List<Path> leftovers(Testbed bed) throws Exception {
        try (Stream<Path> files = Files.list(bed.root.resolve("bases"))) {
            return files.filter(p -> p.getFileName().toString().startsWith(".fetching-")).toList();
        }
    }
}
