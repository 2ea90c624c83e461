package io.drover.persistence.snapshot;

import io.drover.persistence.Database;
import io.drover.persistence.Rows;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The {@code base_snapshot} table read back: which bases exist (their spec and driver, per hash),
 * how their first copy was built, when any node last used them and which jobs use them. Its state
 * summarizes the base's copies per node, which {@link BaseCopyStore} records and moves.
 */
public final class BaseSnapshotStore {
    /** Job ids shown per snapshot; the count covers the rest. */
    public static final int LATEST_JOBS = 5;

    private static final String COLUMNS = "b.hash, b.driver, b.state, b.spec::text AS spec, b.location, b.size_bytes,"
            + " b.build_ms, b.builder, b.error, b.created_at, b.ready_at, b.last_used_at, b.deleted_at, b.tenant,"
            + " (SELECT count(*) FROM job j WHERE j.base_hash = b.hash) AS job_count,"
            + " ARRAY(SELECT j.id FROM job j WHERE j.base_hash = b.hash ORDER BY j.id DESC LIMIT " + LATEST_JOBS
            + ") AS latest_jobs";

    private final Database db;

    public BaseSnapshotStore(Database db) {
        this.db = db;
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
                Rows.instant(rs, "last_used_at"), Rows.instant(rs, "deleted_at"), rs.getLong("job_count"), latest,
                rs.getString("tenant"));
    }
}
