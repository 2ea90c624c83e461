package io.drover.workers.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.persistence.snapshot.BaseCopy;
import io.drover.persistence.snapshot.SnapshotRecord;
import io.drover.persistence.snapshot.SnapshotState;
import io.drover.sandbox.BaseSetupFailed;
import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.BaseSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaseRecordingTest {
    @TempDir
    Path temp;
    private Testbed bed;

    @BeforeEach
    void setUp() throws Exception {
        bed = new Testbed(temp.resolve("sandboxes"));
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    @Test
    void a_prepared_base_is_recorded_ready_with_its_size_build_time_and_spec() throws Exception {
        BaseSpec spec = new BaseSpec("host", List.of("head -c 5000 /dev/zero > /workspace/blob"), Map.of("TOKEN", "x"));

        BaseSnapshot base = bed.driver.prepareBase(spec);

        SnapshotRecord row = bed.store.find(spec.hash()).orElseThrow();
        assertThat(row.state()).isEqualTo(SnapshotState.READY);
        assertThat(row.driver()).isEqualTo("process");
        assertThat(row.sizeBytes()).isEqualTo(base.sizeBytes()).isGreaterThanOrEqualTo(5000);
        assertThat(row.buildMs()).isEqualTo(base.buildTime().toMillis());
        assertThat(row.location()).isEqualTo(base.location().toString());
        assertThat(row.builder()).isEqualTo("worker@node-a");
        assertThat(row.readyAt()).isEqualTo(bed.clock.instant());
        assertThat(row.specJson()).contains("head -c 5000").contains("TOKEN");
        BaseCopy copy = bed.copies.find(spec.hash(), "node-a").orElseThrow();
        assertThat(copy.state()).isEqualTo(SnapshotState.READY);
        assertThat(copy.buildMs()).isEqualTo(base.buildTime().toMillis());
        assertThat(copy.fetchedFrom()).isNull();
        assertThat(copy.contentHash()).startsWith("sha256:")
                .isEqualTo(bed.process.layers().orElseThrow().contentHash(spec.hash()));
    }

    @Test
    void every_use_moves_last_used_but_at_most_once_per_touch_interval() throws Exception {
        BaseSpec spec = BaseSpec.of("host");
        bed.driver.prepareBase(spec);

        bed.clock.advance(Duration.ofSeconds(30));
        bed.driver.prepareBase(spec);
        assertThat(bed.store.find(spec.hash()).orElseThrow().lastUsedAt()).isEqualTo(bed.clock.instant().minusSeconds(30));

        bed.clock.advance(Duration.ofHours(2));
        bed.driver.prepareBase(spec);
        assertThat(bed.store.find(spec.hash()).orElseThrow().lastUsedAt()).isEqualTo(bed.clock.instant());
    }

    @Test
    void a_failing_setup_is_recorded_failed_with_its_exit_code_and_output() throws Exception {
        BaseSpec spec = new BaseSpec("host", List.of("echo cloning; echo no such repo >&2; exit 3"), Map.of());

        assertThatThrownBy(() -> bed.driver.prepareBase(spec)).isInstanceOf(BaseSetupFailed.class);

        SnapshotRecord row = bed.store.find(spec.hash()).orElseThrow();
        assertThat(row.state()).isEqualTo(SnapshotState.FAILED);
        assertThat(row.error()).startsWith("exit code 3").contains("cloning").contains("no such repo");
        assertThat(row.location()).isNull();
        assertThat(row.readyAt()).isNull();
    }
}
