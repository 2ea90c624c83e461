package io.drover.persistence.attempt;

import io.drover.persistence.Database;
import io.drover.persistence.cost.CostLine;
import io.drover.persistence.state.StateSql;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Optional;

/**
 * Attempt-scoped tokens, kept as their SHA-256 only, and the cost lines written against an attempt
 * while it runs (LLM gateway calls), so that any instance can authenticate a token and budgets see
 * spend before the attempt ends.
 */
public final class AttemptTokens {
    private final Database db;

    public AttemptTokens(Database db) {
        this.db = db;
    }

    /** Gives a running attempt its token; false if the attempt is no longer running. */
    public boolean issue(long attemptId, byte[] sha256) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE attempt SET token_sha256 = ? WHERE id = ? AND " + StateSql.is("state", AttemptState.RUNNING))) {
                ps.setBytes(1, sha256);
                ps.setLong(2, attemptId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** The token stops working at once (it also stops once the attempt is no longer RUNNING). */
    public void revoke(long attemptId) {
        db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE attempt SET token_sha256 = NULL WHERE id = ?")) {
                ps.setLong(1, attemptId);
                return ps.executeUpdate();
            }
        });
    }

    /** The running attempt holding the token with this SHA-256, and its budget figures. */
    public Optional<TokenHolder> holder(byte[] sha256) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT a.id, a.job_id, a.subtask_id, s.idx, j.max_cost_usd, j.max_cost_per_subtask_usd,
                           CASE WHEN j.max_cost_usd IS NULL THEN 0 ELSE
                               (SELECT coalesce(sum(l.amount_usd), 0) FROM cost_line l WHERE l.job_id = a.job_id) END,
                           CASE WHEN j.max_cost_per_subtask_usd IS NULL THEN 0 ELSE
                               (SELECT coalesce(sum(l.amount_usd), 0) FROM cost_line l WHERE l.subtask_id = a.subtask_id) END
                      FROM attempt a JOIN job j ON j.id = a.job_id JOIN subtask s ON s.id = a.subtask_id
                     WHERE a.token_sha256 = ? AND %s
                    """.formatted(StateSql.is("a.state", AttemptState.RUNNING)))) {
                ps.setBytes(1, sha256);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new TokenHolder(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getInt(4),
                            rs.getBigDecimal(5), rs.getBigDecimal(7), rs.getBigDecimal(6), rs.getBigDecimal(8)));
                }
            }
        });
    }

    /**
     * Writes cost lines against an attempt right away (not with its end), then checks its job's
     * budget as an attempt's end does, so that a job over budget starts no further subtask.
     */
    public void record(long attemptId, List<CostLine> lines) {
        if (lines.isEmpty()) {
            return;
        }
        db.inTransaction(c -> {
            UsageRows.insertLines(c, attemptId, lines);
            Budgets.enforce(c, attemptId);
            return null;
        });
    }
}
