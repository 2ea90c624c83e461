package io.drover.workers.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.persistence.snapshot.SnapshotRecord;
import io.drover.persistence.snapshot.SnapshotState;
import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.Resources;
import io.drover.sandbox.SandboxState;
import io.drover.sandbox.pool.Lease;
import io.drover.sandbox.pool.SandboxPool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotCollectorTest {
    private static final BaseSpec SPEC = new BaseSpec("host", List.of("echo kept > /workspace/file"), Map.of());

    @TempDir
    Path temp;
    private Testbed bed;
    private SandboxPool pool;

    @BeforeEach
    void setUp() throws Exception {
        bed = new Testbed(temp.resolve("sandboxes"));
        pool = bed.pools.get("process");
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    @Test
    void a_base_unused_for_gc_after_is_deleted_from_disk_and_marked_deleted() throws Exception {
        BaseSnapshot base = bed.driver.prepareBase(SPEC);
        useOnce(base);
        bed.clock.advance(Testbed.GC_AFTER.plusMinutes(1));

        List<SnapshotCollector.Collected> collected = bed.collector().collect();

        assertThat(collected).singleElement().satisfies(c -> {
            assertThat(c.hash()).isEqualTo(SPEC.hash());
            assertThat(c.bytesFreed()).isEqualTo(base.sizeBytes()).isPositive();
        });
        assertThat(base.location().getParent()).doesNotExist();
        SnapshotRecord row = bed.store.find(SPEC.hash()).orElseThrow();
        assertThat(row.state()).isEqualTo(SnapshotState.DELETED);
        assertThat(row.deletedAt()).isEqualTo(bed.clock.instant());
        assertThat(pool.counts().values()).allMatch(n -> n == 0); // its warm clone went first
    }

    @Test
    void a_base_used_within_the_window_is_kept() throws Exception {
        BaseSnapshot base = bed.driver.prepareBase(SPEC);
        bed.clock.advance(Testbed.GC_AFTER.minusHours(1));
        bed.driver.prepareBase(SPEC);
        bed.clock.advance(Duration.ofHours(2));

        assertThat(bed.collector().collect()).isEmpty();

        assertThat(base.location().resolve("file")).exists();
        assertThat(bed.store.find(SPEC.hash()).orElseThrow().state()).isEqualTo(SnapshotState.READY);
    }

    @Test
    void a_base_with_a_leased_sandbox_is_never_deleted_however_old_its_last_prepare() throws Exception {
        BaseSnapshot base = bed.driver.prepareBase(SPEC);
        Lease lease = pool.lease(base, Resources.DEFAULT, Duration.ofMinutes(1));
        try {
            bed.clock.advance(Testbed.GC_AFTER.plusDays(1));
            assertThat(bed.collector().collect()).isEmpty();
            bed.clock.advance(Testbed.GC_AFTER.minusHours(1));
            assertThat(bed.collector().collect()).isEmpty();

            assertThat(base.location().resolve("file")).exists();
            assertThat(bed.store.find(SPEC.hash()).orElseThrow().state()).isEqualTo(SnapshotState.READY);
        } finally {
            pool.release(lease);
        }
    }

    @Test
    void a_collected_base_is_built_again_by_the_next_job_that_needs_it() throws Exception {
        useOnce(bed.driver.prepareBase(SPEC));
        bed.clock.advance(Testbed.GC_AFTER.plusMinutes(1));
        assertThat(bed.collector().collect()).hasSize(1);

        BaseSnapshot rebuilt = bed.driver.prepareBase(SPEC);

        assertThat(Files.readString(rebuilt.location().resolve("file"))).isEqualTo("kept\n");
        SnapshotRecord row = bed.store.find(SPEC.hash()).orElseThrow();
        assertThat(row.state()).isEqualTo(SnapshotState.READY);
        assertThat(row.deletedAt()).isNull();
        useOnce(rebuilt);
    }

    /** A lease and its release, leaving a warm clone behind as a subtask would. */
    private void useOnce(BaseSnapshot base) throws Exception {
        Lease lease = pool.lease(base, Resources.DEFAULT, Duration.ofMinutes(1));
        pool.release(lease);
        await().until(() -> pool.counts().get(SandboxState.WARM) + pool.counts().get(SandboxState.STANDBY) == 1);
    }
}
