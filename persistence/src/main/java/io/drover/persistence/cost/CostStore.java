package io.drover.persistence.cost;

import io.drover.persistence.Database;
import io.drover.persistence.Rows;
import io.drover.persistence.attempt.AttemptState;
import io.drover.persistence.state.StateSql;
import io.drover.persistence.subtask.SubtaskState;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the ledger back for reports: a job's lines, the base it shares with other jobs, and
 * aggregates by schedule and by label. Attempt lines are written with their attempt's end
 * ({@code AttemptStore}), pool overhead lines by {@link PoolIdleStore}.
 */
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
                     WHERE a.job_id = ? AND NOT %s
                     ORDER BY a.id
                    """.formatted(StateSql.is("a.state", AttemptState.RUNNING)))) {
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

    /** The job's base, its builds and the subtasks that used it; empty when the job records no base. */
    public Optional<BaseUse> baseUse(long jobId) {
        return db.autoCommit(c -> {
            String hash;
            long jobSubtasks;
            long allSubtasks;
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT j.base_hash,
                           (SELECT count(*) FROM subtask s WHERE s.job_id = j.id AND s.attempts > 0) AS own,
                           (SELECT count(*) FROM subtask s JOIN job o ON o.id = s.job_id
                             WHERE o.base_hash = j.base_hash AND s.attempts > 0) AS every
                      FROM job j WHERE j.id = ? AND j.base_hash IS NOT NULL
                    """)) {
                ps.setLong(1, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<BaseUse>empty();
                    }
                    hash = rs.getString(1);
                    jobSubtasks = rs.getLong(2);
                    allSubtasks = rs.getLong(3);
                }
            }
            List<BaseUse.Build> builds = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT build_ms, setup_usd, size_bytes,"
                    + " storage_gib_second_usd, built_at, deleted_at, fetched_from IS NOT NULL"
                    + " FROM base_build WHERE base_hash = ? ORDER BY id")) {
                ps.setString(1, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        builds.add(new BaseUse.Build(rs.getLong(1), rs.getBigDecimal(2), rs.getLong(3),
                                rs.getBigDecimal(4), Rows.instant(rs, "built_at"), Rows.instant(rs, "deleted_at"),
                                rs.getBoolean(7)));
                    }
                }
            }
            return Optional.of(new BaseUse(hash, jobSubtasks, allSubtasks, builds));
        });
    }

    /** The schedule's last {@code last} jobs, newest first, with their ledger totals. */
    public List<RunCost> scheduleRuns(long scheduleId, int last) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT j.id, j.state, j.created_at, j.started_at, j.finished_at,
                           coalesce((SELECT sum(l.amount_usd) FROM cost_line l WHERE l.job_id = j.id), 0) AS usd,
                           (SELECT count(*) FROM subtask s WHERE s.job_id = j.id AND %s) AS done
                      FROM job j WHERE j.schedule_id = ? ORDER BY j.id DESC LIMIT ?
                    """.formatted(StateSql.is("s.state", SubtaskState.SUCCEEDED)))) {
                ps.setLong(1, scheduleId);
                ps.setInt(2, last);
                List<RunCost> rows = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new RunCost(rs.getLong("id"), rs.getString("state"), Rows.instant(rs, "created_at"),
                                Rows.instant(rs, "started_at"), Rows.instant(rs, "finished_at"),
                                rs.getBigDecimal("usd"), rs.getLong("done")));
                    }
                }
                return rows;
            }
        });
    }

    /** What the tenant's jobs have cost since {@code since}: what its monthly budget is checked against. */
    public BigDecimal spent(String tenant, Instant since) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(sum(l.amount_usd), 0) FROM cost_line l"
                    + " JOIN job j ON j.id = l.job_id WHERE j.tenant = ? AND l.recorded_at >= ?")) {
                ps.setString(1, tenant);
                ps.setObject(2, since.atOffset(ZoneOffset.UTC));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBigDecimal(1);
                }
            }
        });
    }

    /**
     * Lines recorded since {@code since}, and subtasks that succeeded since then, summed per value
     * of the tenant's jobs' label {@code key} (null: jobs without it), dearest first.
     */
    public List<LabelCost> byLabel(String tenant, String key, Instant since) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    WITH spent AS (
                        SELECT l.job_id, sum(l.amount_usd) AS usd FROM cost_line l WHERE l.recorded_at >= ?
                         GROUP BY l.job_id
                    ), done AS (
                        SELECT s.job_id, count(*) AS n FROM subtask s
                         WHERE %s AND s.finished_at >= ? GROUP BY s.job_id
                    )
                    SELECT j.labels ->> ? AS value, count(*) AS jobs, coalesce(sum(spent.usd), 0) AS usd,
                           coalesce(sum(done.n), 0) AS done
                      FROM job j LEFT JOIN spent ON spent.job_id = j.id LEFT JOIN done ON done.job_id = j.id
                     WHERE j.tenant = ? AND (spent.job_id IS NOT NULL OR done.job_id IS NOT NULL)
                     GROUP BY 1 ORDER BY 3 DESC, 1 NULLS LAST
                    """.formatted(StateSql.is("s.state", SubtaskState.SUCCEEDED)))) {
                ps.setObject(1, since.atOffset(ZoneOffset.UTC));
                ps.setObject(2, since.atOffset(ZoneOffset.UTC));
                ps.setString(3, key);
                ps.setString(4, tenant);
                List<LabelCost> rows = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new LabelCost(rs.getString("value"), rs.getLong("jobs"), rs.getBigDecimal("usd"),
                                rs.getLong("done")));
                    }
                }
                return rows;
            }
        });
    }
}
