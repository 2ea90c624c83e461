package io.drover.persistence.subtask;

import io.drover.persistence.Database;
import io.drover.persistence.Page;
import io.drover.persistence.Rows;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The hot path: claiming pending subtasks, and reading them back for users. */
public final class SubtaskStore {

    /**
     * One statement claims a batch, opens an attempt for each claimed row and marks their jobs
     * RUNNING. Rows locked by another worker's claim are skipped, never waited for.
     */
    private static final String CLAIM = """
            WITH claimed AS (
                UPDATE subtask s
                   SET state = 'RUNNING', attempts = s.attempts + 1, owner = ?, started_at = now(),
                       finished_at = NULL, exit_code = NULL, duration_ms = NULL, version = s.version + 1
                 WHERE s.id IN (SELECT id FROM subtask
                                 WHERE state = 'PENDING' AND (not_before IS NULL OR not_before <= now())
                                 ORDER BY id
                                 FOR UPDATE SKIP LOCKED
                                 LIMIT ?)
             RETURNING s.id, s.job_id, s.idx, s.item::text AS item, s.attempts, s.version
            ), opened AS (
                INSERT INTO attempt (subtask_id, job_id, number, owner)
                SELECT id, job_id, attempts, ? FROM claimed
             RETURNING id, subtask_id
            ), started AS (
                UPDATE job SET state = 'RUNNING', started_at = now(), version = version + 1
                 WHERE id IN (SELECT job_id FROM claimed) AND state = 'SUBMITTED'
            )
            SELECT c.id, c.job_id, c.idx, c.item, c.attempts, c.version, o.id AS attempt_id
              FROM claimed c JOIN opened o ON o.subtask_id = c.id
             ORDER BY c.id
            """;

    private static final String VIEW = """
            SELECT s.id, s.idx, s.item::text AS item, s.state, s.attempts, s.exit_code, s.duration_ms,
                   s.started_at, s.finished_at, a.failure, a.output_tail, a.log_path
              FROM subtask s
              LEFT JOIN attempt a ON a.subtask_id = s.id AND a.number = s.attempts
            """;

    private final Database db;

    public SubtaskStore(Database db) {
        this.db = db;
    }

    public List<ClaimedSubtask> claim(String owner, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
                ps.setString(1, owner);
                ps.setInt(2, limit);
                ps.setString(3, owner);
                List<ClaimedSubtask> claimed = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        claimed.add(new ClaimedSubtask(rs.getLong("id"), rs.getLong("job_id"), rs.getInt("idx"),
                                rs.getString("item"), rs.getInt("attempts"), rs.getLong("attempt_id"),
                                rs.getLong("version")));
                    }
                }
                return claimed;
            }
        });
    }

    /** In index order; the cursor is the index of the last subtask of the previous page. */
    public Page<SubtaskView> list(long jobId, Optional<SubtaskState> state, int limit, Optional<String> cursor) {
        Optional<Long> after = Rows.cursor(cursor);
        return db.autoCommit(c -> {
            String sql = VIEW + " WHERE s.job_id = ? AND (?::text IS NULL OR s.state = ?::text)"
                    + " AND (?::int IS NULL OR s.idx > ?::int) ORDER BY s.idx LIMIT ?";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                String s = state.map(Enum::name).orElse(null);
                Integer a = after.map(Long::intValue).orElse(null);
                ps.setLong(1, jobId);
                ps.setString(2, s);
                ps.setString(3, s);
                ps.setObject(4, a);
                ps.setObject(5, a);
                ps.setInt(6, limit + 1);
                List<SubtaskView> rows = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(read(rs));
                    }
                }
                if (rows.size() <= limit) {
                    return new Page<>(rows, Optional.empty());
                }
                List<SubtaskView> items = List.copyOf(rows.subList(0, limit));
                return new Page<>(items, Optional.of(Integer.toString(items.get(limit - 1).index())));
            }
        });
    }

    public Optional<SubtaskView> find(long jobId, int index) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement(VIEW + " WHERE s.job_id = ? AND s.idx = ?")) {
                ps.setLong(1, jobId);
                ps.setInt(2, index);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.empty();
                }
            }
        });
    }

    private static SubtaskView read(ResultSet rs) throws SQLException {
        return new SubtaskView(
                rs.getLong("id"),
                rs.getInt("idx"),
                rs.getString("item"),
                SubtaskState.valueOf(rs.getString("state")),
                rs.getInt("attempts"),
                Rows.integer(rs, "exit_code"),
                Rows.longValue(rs, "duration_ms"),
                rs.getString("failure"),
                rs.getString("output_tail"),
                rs.getString("log_path"),
                Rows.instant(rs, "started_at"),
                Rows.instant(rs, "finished_at"));
    }
}
