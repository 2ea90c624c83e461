package io.drover.persistence.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.persistence.Database;
import io.drover.persistence.Migrations;
import io.drover.persistence.embedded.EmbeddedPostgresServer;
import io.drover.persistence.testing.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** V13 on a database of an earlier version: READY bases become copies of the node 'legacy'. */
class LegacyBasesMigrationTest {
    private static final String READY = "a".repeat(64);
    private static final String DELETED = "b".repeat(64);

    @Test
    void ready_bases_become_legacy_copies_and_their_priced_builds_stay_theirs() throws Exception {
        EmbeddedPostgresServer server = TestDatabases.server();
        DataSource ds = server.dataSource(TestDatabases.empty());
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("11").load().migrate();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO base_snapshot (hash, driver, state, spec, location, size_bytes, build_ms, builder,"
                    + " ready_at, last_used_at) VALUES ('" + READY + "', 'process', 'READY', '{}', '/old/bases/a', 42,"
                    + " 1000, 'w', now(), now()), ('" + DELETED + "', 'process', 'DELETED', '{}', NULL, NULL, NULL,"
                    + " 'w', NULL, now())");
            s.execute("INSERT INTO base_build (base_hash, driver, build_ms, memory_limit_bytes, vcpus,"
                    + " memory_gib_second_usd, vcpu_second_usd, storage_gib_second_usd, setup_usd, size_bytes, built_at)"
                    + " VALUES ('" + READY + "', 'process', 1000, 1, 1, 0, 0, 0, 0.5, 42, now())");
        }

        Migrations.migrate(ds);

        BaseCopyStore copies = new BaseCopyStore(new Database(ds));
        BaseCopy legacy = copies.find(READY, BaseCopy.LEGACY_NODE).orElseThrow();
        assertThat(legacy.state()).isEqualTo(SnapshotState.READY);
        assertThat(legacy.location()).isEqualTo("/old/bases/a");
        assertThat(legacy.sizeBytes()).isEqualTo(42);
        assertThat(legacy.buildMs()).isEqualTo(1000);
        assertThat(copies.of(List.of(DELETED))).isEmpty(); // a deleted base is on no disk
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT node, fetched_from FROM base_build")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(BaseCopy.LEGACY_NODE);
            assertThat(rs.getString(2)).isNull();
        }
        assertThat(copies.adoptLegacy(READY, "node-a")).isTrue();
        assertThat(copies.adoptLegacy(READY, "node-b")).as("adopted once").isFalse();
    }
}
