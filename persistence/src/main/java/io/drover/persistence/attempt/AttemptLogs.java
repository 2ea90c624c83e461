package io.drover.persistence.attempt;

import io.drover.persistence.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/** Finds the full log of a subtask's latest attempt (the database keeps only its tail). */
public final class AttemptLogs {
    private final Database db;

    public AttemptLogs(Database db) {
        this.db = db;
    }

    /** The latest attempt's log of subtask {@code index} of {@code jobId}; empty if it has none yet. */
    public Optional<LogLocation> latest(long jobId, int index) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT a.id, a.owner, i.node, a.log_path
                      FROM subtask s
                      JOIN attempt a ON a.subtask_id = s.id AND a.number = s.attempts
                      LEFT JOIN instance i ON i.id = a.owner
                     WHERE s.job_id = ? AND s.idx = ? AND a.log_path IS NOT NULL
                    """)) {
                ps.setLong(1, jobId);
                ps.setInt(2, index);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new LogLocation(rs.getLong(1), rs.getString(2), rs.getString(3),
                            rs.getString(4))) : Optional.empty();
                }
            }
        });
    }
}
