package io.drover.persistence.snapshot;

import io.drover.persistence.Database;
import io.drover.persistence.Rows;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The {@code base_snapshot} table: which bases exist, how they were built, when they were last
 * used and which jobs use them. Transitions are conditional on the state they leave (a READY row
 * is never taken back to BUILDING), so concurrent recorders of one hash converge without versions.
 * Times come from the caller's clock, so that garbage collection can be tested by moving it.
 */
public final class BaseSnapshotStore {
    /** Job ids shown per snapshot; the count covers the rest. */
    public static final int LATEST_JOBS = 5;

    private static final String COLUMNS = "b.hash, b.driver, b.state, b.spec::text AS spec, b.location, b.size_bytes,"
            + " b.build_ms, b.builder, b.error, b.created_at, b.ready_at, b.last_used_at, b.deleted_at,"
            + " (SELECT count(*) FROM job j WHERE j.base_hash = b.hash) AS job_count,"
            + " ARRAY(SELECT j.id FROM job j WHERE j.base_hash = b.hash ORDER BY j.id DESC LIMIT " + LATEST_JOBS
            + ") AS latest_jobs";

    private final Database db;

    public BaseSnapshotStore(Database db) {
        this.db = db;
    }

    /**
     * Marks a use now and returns the row's state, or empty if the base was never recorded. A row
     * that garbage collection has claimed comes back DELETED: the caller must wait for the
     * collection to finish before it prepares the base again.
     */
    public Optional<SnapshotState> touch(String hash, Instant now) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE base_snapshot SET last_used_at ="
                    + " GREATEST(last_used_at, ?) WHERE hash = ? RETURNING state")) {
                ps.setObject(1, at(now));
                ps.setString(2, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(SnapshotState.valueOf(rs.getString(1))) : Optional.empty();
                }
            }
        });
    }

    /** Marks uses now of bases held by running sandboxes, so that no process collects them. */
    public void touchAll(Collection<String> hashes, Instant now) {
        if (hashes.isEmpty()) {
            return;
        }
        db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE base_snapshot SET last_used_at ="
                    + " GREATEST(last_used_at, ?) WHERE hash = ANY (?)")) {
                ps.setObject(1, at(now));
                ps.setArray(2, c.createArrayOf("text", hashes.toArray()));
                return ps.executeUpdate();
            }
        });
    }

    /** A build is about to start (or to find the base on disk); a READY row stays READY. */
    public void building(String hash, String driver, String specJson, String builder, Instant now) {
        upsert(hash, driver, specJson, SnapshotState.BUILDING, builder, now, "error = NULL, deleted_at = NULL");
    }

    /**
     * The base is on disk; a row already READY keeps its first build's figures. Returns true when
     * this call made it READY (this caller's build is the one to record), false when it already was.
     */
    public boolean ready(String hash, String driver, String specJson, String location, long sizeBytes, long buildMs,
            String builder, Instant now) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO base_snapshot (hash, driver, state, spec,"
                    + " location, size_bytes, build_ms, builder, created_at, ready_at, last_used_at)"
                    + " VALUES (?, ?, 'READY', ?::jsonb, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (hash) DO UPDATE SET state = 'READY', location = EXCLUDED.location,"
                    + " size_bytes = EXCLUDED.size_bytes, build_ms = EXCLUDED.build_ms, builder = EXCLUDED.builder,"
                    + " error = NULL, ready_at = EXCLUDED.ready_at, deleted_at = NULL,"
                    + " last_used_at = GREATEST(base_snapshot.last_used_at, EXCLUDED.last_used_at),"
                    + " version = base_snapshot.version + 1"
                    + " WHERE base_snapshot.state <> 'READY'")) {
                ps.setString(1, hash);
                ps.setString(2, driver);
                ps.setString(3, specJson);
                ps.setString(4, location);
                ps.setLong(5, sizeBytes);
                ps.setLong(6, buildMs);
                ps.setString(7, builder);
                ps.setObject(8, at(now));
                ps.setObject(9, at(now));
                ps.setObject(10, at(now));
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** The setup failed; a base that another caller made READY meanwhile stays READY. */
    public void failed(String hash, String driver, String specJson, String builder, String error, Instant now) {
        db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO base_snapshot (hash, driver, state, spec,"
                    + " builder, error, created_at) VALUES (?, ?, 'FAILED', ?::jsonb, ?, ?, ?)"
                    + " ON CONFLICT (hash) DO UPDATE SET state = 'FAILED', builder = EXCLUDED.builder,"
                    + " error = EXCLUDED.error, location = NULL, size_bytes = NULL, version = base_snapshot.version + 1"
                    + " WHERE base_snapshot.state <> 'READY'")) {
                ps.setString(1, hash);
                ps.setString(2, driver);
                ps.setString(3, specJson);
                ps.setString(4, builder);
                ps.setString(5, error);
                ps.setObject(6, at(now));
                return ps.executeUpdate();
            }
        });
    }

    /** READY bases of {@code driver} neither used nor made ready since {@code cutoff}, oldest first. */
    public List<String> idleSince(String driver, Instant cutoff) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT hash FROM base_snapshot WHERE driver = ?"
                    + " AND state = 'READY' AND COALESCE(last_used_at, ready_at, created_at) < ?"
                    + " ORDER BY COALESCE(last_used_at, ready_at, created_at)")) {
                ps.setString(1, driver);
                ps.setObject(2, at(cutoff));
                List<String> hashes = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        hashes.add(rs.getString(1));
                    }
                }
                return hashes;
            }
        });
    }

    /**
     * Takes an idle READY base for deletion, in one statement: false when it was used since
     * {@code cutoff} or is no longer READY (a use or another collector won the race).
     */
    public boolean claimForDeletion(String hash, Instant cutoff, Instant now) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE base_snapshot SET state = 'DELETED', deleted_at = ?,"
                    + " version = version + 1 WHERE hash = ? AND state = 'READY'"
                    + " AND COALESCE(last_used_at, ready_at, created_at) < ?")) {
                ps.setObject(1, at(now));
                ps.setString(2, hash);
                ps.setObject(3, at(cutoff));
                if (ps.executeUpdate() != 1) {
                    return false;
                }
            }
            // Its layer's storage stops being charged when it is deleted.
            try (PreparedStatement ps = c.prepareStatement("UPDATE base_build SET deleted_at = ?"
                    + " WHERE base_hash = ? AND deleted_at IS NULL")) {
                ps.setObject(1, at(now));
                ps.setString(2, hash);
                ps.executeUpdate();
            }
            return true;
        });
    }

    /** Records one build of a base with its priced setup; its storage is charged from {@code builtAt} until deletion. */
    public void built(BaseBuild b) {
        db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO base_build (base_hash, driver, build_ms,"
                    + " memory_limit_bytes, vcpus, memory_gib_second_usd, vcpu_second_usd, storage_gib_second_usd,"
                    + " setup_usd, size_bytes, built_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, b.baseHash());
                ps.setString(2, b.driver());
                ps.setLong(3, b.buildMs());
                ps.setLong(4, b.memoryLimitBytes());
                ps.setBigDecimal(5, b.vcpus());
                ps.setBigDecimal(6, b.memoryGibSecondUsd());
                ps.setBigDecimal(7, b.vcpuSecondUsd());
                ps.setBigDecimal(8, b.storageGibSecondUsd());
                ps.setBigDecimal(9, b.setupUsd());
                ps.setLong(10, b.sizeBytes());
                ps.setObject(11, at(b.builtAt()));
                return ps.executeUpdate();
            }
        });
    }

    /** Undoes a claim whose base turned out to be in use: it stays on disk and READY. */
    public void unclaim(String hash) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE base_snapshot SET state = 'READY', deleted_at = NULL,"
                    + " version = version + 1 WHERE hash = ? AND state = 'DELETED'")) {
                ps.setString(1, hash);
                if (ps.executeUpdate() == 0) {
                    return 0;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE base_build SET deleted_at = NULL WHERE id ="
                    + " (SELECT max(id) FROM base_build WHERE base_hash = ?)")) {
                ps.setString(1, hash);
                return ps.executeUpdate();
            }
        });
    }

    /** Records the base a job's sandboxes are cloned from, for the snapshot's list of users. */
    public void usedBy(long jobId, String hash) {
        db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE job SET base_hash = ? WHERE id = ?")) {
                ps.setString(1, hash);
                ps.setLong(2, jobId);
                return ps.executeUpdate();
            }
        });
    }

    /** Every recorded base, most recently used first. */
    public List<SnapshotRecord> list() {
        return db.autoCommit(c -> query(c, "SELECT " + COLUMNS + " FROM base_snapshot b"
                + " ORDER BY COALESCE(b.last_used_at, b.ready_at, b.created_at) DESC, b.hash", null));
    }

    public Optional<SnapshotRecord> find(String hash) {
        return db.autoCommit(c -> query(c, "SELECT " + COLUMNS + " FROM base_snapshot b WHERE b.hash = ?", hash))
                .stream().findFirst();
    }

    private void upsert(String hash, String driver, String specJson, SnapshotState state, String builder, Instant now,
            String alsoSet) {
        db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO base_snapshot (hash, driver, state, spec,"
                    + " builder, created_at) VALUES (?, ?, ?, ?::jsonb, ?, ?)"
                    + " ON CONFLICT (hash) DO UPDATE SET state = EXCLUDED.state, builder = EXCLUDED.builder, "
                    + alsoSet + ", version = base_snapshot.version + 1 WHERE base_snapshot.state <> 'READY'")) {
                ps.setString(1, hash);
                ps.setString(2, driver);
                ps.setString(3, state.name());
                ps.setString(4, specJson);
                ps.setString(5, builder);
                ps.setObject(6, at(now));
                return ps.executeUpdate();
            }
        });
    }

    private static List<SnapshotRecord> query(Connection c, String sql, String hash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (hash != null) {
                ps.setString(1, hash);
            }
            List<SnapshotRecord> records = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    records.add(read(rs));
                }
            }
            return records;
        }
    }

    private static SnapshotRecord read(ResultSet rs) throws SQLException {
        Array jobs = rs.getArray("latest_jobs");
        List<Long> latest = jobs == null ? List.of() : Arrays.stream((Long[]) jobs.getArray()).toList();
        return new SnapshotRecord(rs.getString("hash"), rs.getString("driver"),
                SnapshotState.valueOf(rs.getString("state")), rs.getString("spec"), rs.getString("location"),
                Rows.longValue(rs, "size_bytes"), Rows.longValue(rs, "build_ms"), rs.getString("builder"),
                rs.getString("error"), Rows.instant(rs, "created_at"), Rows.instant(rs, "ready_at"),
                Rows.instant(rs, "last_used_at"), Rows.instant(rs, "deleted_at"), rs.getLong("job_count"), latest);
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
