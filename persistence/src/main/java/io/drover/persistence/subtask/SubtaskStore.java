package io.drover.persistence.subtask;

import io.drover.persistence.Database;
import io.drover.persistence.Page;
import io.drover.persistence.Rows;
import io.drover.persistence.job.JobState;
import io.drover.persistence.job.JobTransition;
import io.drover.persistence.state.StateSql;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The hot path: claiming pending subtasks, and reading them back for users. */
public final class SubtaskStore {
    /** Jobs considered by one claim: the round-robin shares a batch among at most this many. */
    static final int ACTIVE_JOBS_PER_CLAIM = 256;

    /**
     * The jobs a claim may take from: those with work ready, highest priority first. Nothing is
     * locked here, so claims on many workers never queue behind one another.
     */
    private static final String ACTIVE_JOBS = """
            SELECT j.id, j.concurrency IS NOT NULL AS limited,
                   CASE WHEN t.max_running_subtasks IS NOT NULL THEN j.tenant END AS limited_tenant
              FROM job j LEFT JOIN tenant t ON t.name = j.tenant
             WHERE %2$s AND j.subtask_count IS NOT NULL AND NOT j.cancel_requested
               AND NOT j.budget_exceeded
               AND EXISTS (SELECT 1 FROM subtask p
                            WHERE p.job_id = j.id AND %3$s
                              AND (p.not_before IS NULL OR p.not_before <= now()))
             ORDER BY j.priority DESC, j.id
             LIMIT %1$d
            """.formatted(ACTIVE_JOBS_PER_CLAIM, StateSql.in("j.state", JobState.active()),
            SubtaskTransition.CLAIM.guard("p.state"));

    /**
     * Of the tenants with a {@code max_running_subtasks} quota, those no other claim holds now,
     * locked for the rest of this claim's transaction, as limited jobs are below: while one worker
     * counts a tenant's running subtasks and claims up to its quota, no other claims for it. NO KEY
     * UPDATE: job inserts referencing the tenant (KEY SHARE) are never blocked by it.
     */
    private static final String LOCK_LIMITED_TENANTS = """
            SELECT t.name FROM tenant t WHERE t.name = ANY (?) ORDER BY t.name FOR NO KEY UPDATE OF t SKIP LOCKED
            """;

    /**
     * Of the jobs with a {@code concurrency} limit, those no other claim holds now, locked for the
     * rest of this claim's transaction: while one worker counts a limited job's running subtasks and
     * claims up to its limit, no other does, which keeps the limit exact. A job another claim holds
     * is skipped this time rather than waited for. NO KEY UPDATE: the attempt and cost-line inserts
     * that reference the job (KEY SHARE) are never blocked by it.
     */
    private static final String LOCK_LIMITED_JOBS = """
            SELECT j.id FROM job j WHERE j.id = ANY (?) ORDER BY j.id FOR NO KEY UPDATE OF j SKIP LOCKED
            """;

    /**
     * Claims a batch from the jobs taken, opens an attempt for each claimed row and marks their
     * jobs RUNNING. Jobs share the batch round-robin (each job's next subtask before any job's
     * second), higher priority first within a round, after the {@link WarmPreference} rank of
     * their base (warm on this node first). A tenant with a running-subtask quota gets at most what
     * its quota leaves, its candidates taken in that same order. Runs as a statement of its own after the
     * lock, so its snapshot sees every claim of a limited job committed before the lock was granted;
     * rows another claim took meanwhile are skipped (SKIP LOCKED) or no longer PENDING.
     */
    private static final String CLAIM = """
            WITH %7$s, active AS (
                SELECT j.id, j.tenant, j.concurrency, j.priority, %8$s AS warmth FROM job j, me WHERE j.id = ANY (?)
            ), candidates AS (
                SELECT c.id, c.rnk, a.priority, a.warmth, a.id AS job_id, a.tenant
                  FROM active a
                 CROSS JOIN LATERAL (
                       SELECT p.id, row_number() OVER (ORDER BY p.idx) AS rnk
                         FROM subtask p
                        WHERE p.job_id = a.id AND %1$s
                          AND (p.not_before IS NULL OR p.not_before <= now())
                        ORDER BY p.idx
                        LIMIT greatest(0, least(?, CASE WHEN a.concurrency IS NULL THEN ? ELSE a.concurrency
                              - (SELECT count(*) FROM subtask r WHERE r.job_id = a.id AND %2$s) END))
                 ) c
            ), room AS (
                SELECT t.name, t.max_running_subtasks - (SELECT count(*) FROM job rj JOIN subtask r ON r.job_id = rj.id
                        WHERE rj.tenant = t.name AND %9$s AND %2$s) AS room
                  FROM tenant t WHERE t.max_running_subtasks IS NOT NULL AND t.name IN (SELECT tenant FROM active)
            ), ranked AS (
                SELECT c.*, row_number() OVER (PARTITION BY c.tenant
                       ORDER BY c.warmth, c.rnk, c.priority DESC, c.job_id) AS tenant_rnk
                  FROM candidates c
            ), picked AS (
                SELECT s.id
                  FROM subtask s JOIN ranked c ON c.id = s.id LEFT JOIN room ON room.name = c.tenant
                 WHERE %3$s AND (room.name IS NULL OR c.tenant_rnk <= room.room)
                 ORDER BY c.warmth, c.rnk, c.priority DESC, c.job_id
                 LIMIT ?
                   FOR UPDATE OF s SKIP LOCKED
            ), claimed AS (
                UPDATE subtask s
                   SET state = %4$s, attempts = s.attempts + 1, owner = ?, started_at = now(),
                       finished_at = NULL, exit_code = NULL, duration_ms = NULL, not_before = NULL,
                       version = s.version + 1
                  FROM picked WHERE s.id = picked.id AND %3$s
             RETURNING s.id, s.job_id, s.idx, s.item::text AS item, s.attempts, s.version
            ), opened AS (
                INSERT INTO attempt (subtask_id, job_id, number, owner)
                SELECT id, job_id, attempts, ? FROM claimed
             RETURNING id, subtask_id
            ), started AS (
                UPDATE job SET state = %5$s, started_at = coalesce(started_at, now()), version = version + 1
                 WHERE id IN (SELECT job_id FROM claimed) AND %6$s
            )
            SELECT c.id, c.job_id, c.idx, c.item, c.attempts, c.version, o.id AS attempt_id
              FROM claimed c JOIN opened o ON o.subtask_id = c.id
             ORDER BY c.id
            """.formatted(SubtaskTransition.CLAIM.guard("p.state"), StateSql.is("r.state", SubtaskState.RUNNING),
            SubtaskTransition.CLAIM.guard("s.state"), SubtaskTransition.CLAIM.into(), JobTransition.START.into(),
            JobTransition.START.guard("state"), WarmPreference.ME, WarmPreference.RANK,
            StateSql.in("rj.state", JobState.active()));

    private static final String VIEW = """
            SELECT s.id, s.idx, s.item::text AS item, s.state, s.attempts, s.exit_code, s.duration_ms,
                   s.started_at, s.finished_at, a.failure, a.output_tail, a.log_path,
                   coalesce((SELECT sum(l.amount_usd) FROM cost_line l WHERE l.subtask_id = s.id), 0) AS cost_usd
              FROM subtask s
              LEFT JOIN attempt a ON a.subtask_id = s.id AND a.number = s.attempts
            """;

    private final Database db;

    public SubtaskStore(Database db) {
        this.db = db;
    }

    public List<ClaimedSubtask> claim(String owner, int limit) {
        return claim(owner, limit, WarmPreference.NONE);
    }

    public List<ClaimedSubtask> claim(String owner, int limit, WarmPreference warm) {
        if (limit <= 0) {
            return List.of();
        }
        return db.inTransaction(c -> {
            List<Long> jobIds = new ArrayList<>();
            List<Long> limited = new ArrayList<>();
            Map<Long, String> ofLimitedTenants = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(ACTIVE_JOBS); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    (rs.getBoolean(2) ? limited : jobIds).add(rs.getLong(1));
                    if (rs.getString(3) != null) {
                        ofLimitedTenants.put(rs.getLong(1), rs.getString(3));
                    }
                }
            }
            if (!ofLimitedTenants.isEmpty()) {
                Set<String> held = new HashSet<>();
                try (PreparedStatement ps = c.prepareStatement(LOCK_LIMITED_TENANTS)) {
                    ps.setArray(1, c.createArrayOf("text", new HashSet<>(ofLimitedTenants.values()).toArray()));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            held.add(rs.getString(1));
                        }
                    }
                }
                // Another claim counts for the tenants it holds: their jobs wait for the next claim.
                jobIds.removeIf(id -> ofLimitedTenants.containsKey(id) && !held.contains(ofLimitedTenants.get(id)));
                limited.removeIf(id -> ofLimitedTenants.containsKey(id) && !held.contains(ofLimitedTenants.get(id)));
            }
            if (!limited.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(LOCK_LIMITED_JOBS)) {
                    ps.setArray(1, c.createArrayOf("bigint", limited.toArray()));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            jobIds.add(rs.getLong(1));
                        }
                    }
                }
            }
            if (jobIds.isEmpty()) {
                return List.<ClaimedSubtask>of();
            }
            try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
                ps.setString(1, warm.node());
                ps.setDouble(2, warm.starveAfter().toMillis() / 1000.0);
                ps.setDouble(3, warm.goneAfter().toMillis() / 1000.0);
                ps.setArray(4, c.createArrayOf("bigint", jobIds.toArray()));
                // Twice the batch per job: rows another claim holds are skipped, and the next ones are there to take.
                ps.setInt(5, 2 * limit);
                ps.setInt(6, 2 * limit);
                ps.setInt(7, limit);
                ps.setString(8, owner);
                ps.setString(9, owner);
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

    /**
     * Cancels one subtask: a pending one at once; a running one is flagged and stopped by its
     * worker at its next heartbeat. Returns the subtask's state after the request, or empty if
     * it had already ended (nothing changed).
     */
    public Optional<SubtaskState> cancel(long jobId, int index) {
        return db.inTransaction(c -> {
            String now = SubtaskTransition.CANCEL.guard("state");
            try (PreparedStatement ps = c.prepareStatement("UPDATE subtask SET"
                    + " state = CASE WHEN " + now + " THEN " + SubtaskTransition.CANCEL.into() + " ELSE state END,"
                    + " finished_at = CASE WHEN " + now + " THEN now() ELSE finished_at END,"
                    + " cancel_requested = TRUE,"
                    // a running subtask keeps its version: its worker's completion must still be accepted
                    + " version = CASE WHEN " + now + " THEN version + 1 ELSE version END"
                    + " WHERE job_id = ? AND idx = ? AND " + StateSql.in("state", SubtaskState.unfinished())
                    + " RETURNING state")) {
                ps.setLong(1, jobId);
                ps.setInt(2, index);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(SubtaskState.valueOf(rs.getString(1))) : Optional.empty();
                }
            }
        });
    }

    /**
     * Runs the failed or cancelled subtasks of a job again, as new attempts of the same rows, and
     * reopens the job if it had ended. {@code index} empty means every failed or cancelled
     * subtask. Returns how many subtasks will run again.
     */
    public int retry(long jobId, Optional<Integer> index) {
        return db.inTransaction(c -> {
            int reset;
            try (PreparedStatement ps = c.prepareStatement("UPDATE subtask SET state = " + SubtaskTransition.RETRY.into()
                    + ", not_before = NULL, exit_code = NULL, duration_ms = NULL, finished_at = NULL,"
                    + " cancel_requested = FALSE, version = version + 1"
                    + " WHERE job_id = ? AND (?::int IS NULL OR idx = ?::int) AND " + SubtaskTransition.RETRY.guard("state")
                    // its budget is spent: running it again would only spend more
                    + " AND NOT EXISTS (SELECT 1 FROM job j WHERE j.id = ? AND j.budget_exceeded)")) {
                ps.setLong(1, jobId);
                ps.setObject(2, index.orElse(null));
                ps.setObject(3, index.orElse(null));
                ps.setLong(4, jobId);
                reset = ps.executeUpdate();
            }
            if (reset > 0) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE job SET state = " + JobTransition.REOPEN.into()
                        + ", finished_at = NULL, cancel_requested = FALSE, version = version + 1"
                        + " WHERE id = ? AND " + JobTransition.REOPEN.guard("state"))) {
                    ps.setLong(1, jobId);
                    ps.executeUpdate();
                }
            }
            return reset;
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
                Rows.instant(rs, "finished_at"),
                rs.getBigDecimal("cost_usd"));
    }
}
