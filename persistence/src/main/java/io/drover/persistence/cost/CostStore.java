package io.drover.persistence.cost;

import io.drover.persistence.Database;
import io.drover.persistence.Rows;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Reads a job's cost lines back for reports. Lines are only ever written with their attempt's end. */
public final class CostStore {
    private final Database db;

    public CostStore(Database db) {
        this.db = db;
    }

    /** The job's cost by dimension; every dimension is present, zero when nothing was spent on it. */
    public Map<CostDimension, BigDecimal> totals(long jobId) {
        return db.autoCommit(c -> {
            Map<CostDimension, BigDecimal> totals = new EnumMap<>(CostDimension.class);
            for (CostDimension d : CostDimension.values()) {
                totals.put(d, BigDecimal.ZERO);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT dimension, sum(amount_usd) FROM cost_line WHERE job_id = ? GROUP BY dimension")) {
                ps.setLong(1, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        totals.put(CostDimension.ofColumn(rs.getString(1)), rs.getBigDecimal(2));
                    }
                }
            }
            return totals;
        });
    }

    /** Every finished attempt of the job, with what it was metered at and cost. */
    public List<MeteredAttempt> attempts(long jobId) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT a.id, s.idx, a.state, a.active_ms, a.standby_ms, a.cpu_ms, a.memory_limit_bytes, a.vcpus,
                           a.setup_ms, coalesce((SELECT sum(l.amount_usd) FROM cost_line l WHERE l.attempt_id = a.id), 0) AS cost
                      FROM attempt a JOIN subtask s ON s.id = a.subtask_id
                     WHERE a.job_id = ? AND a.state <> 'RUNNING'
                     ORDER BY a.id
                    """)) {
                ps.setLong(1, jobId);
                List<MeteredAttempt> rows = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new MeteredAttempt(rs.getLong("id"), rs.getInt("idx"), rs.getString("state"),
                                Rows.longValue(rs, "active_ms"), Rows.longValue(rs, "standby_ms"),
                                Rows.longValue(rs, "cpu_ms"), Rows.longValue(rs, "memory_limit_bytes"),
                                rs.getBigDecimal("vcpus"), Rows.longValue(rs, "setup_ms"), rs.getBigDecimal("cost")));
                    }
                }
                return rows;
            }
        });
    }

    /** The most expensive subtasks of the job, all their attempts counted, dearest first. */
    public List<SubtaskCost> dearest(long jobId, int limit) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT s.idx, s.state, s.attempts, sum(l.amount_usd) AS cost
                      FROM cost_line l JOIN subtask s ON s.id = l.subtask_id
                     WHERE l.job_id = ?
                     GROUP BY s.idx, s.state, s.attempts
                     ORDER BY cost DESC, s.idx
                     LIMIT ?
                    """)) {
                ps.setLong(1, jobId);
                ps.setInt(2, limit);
                List<SubtaskCost> rows = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new SubtaskCost(rs.getInt("idx"), rs.getString("state"), rs.getInt("attempts"),
                                rs.getBigDecimal("cost")));
                    }
                }
                return rows;
            }
        });
    }
}
