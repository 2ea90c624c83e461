package io.drover.persistence.job;

import io.drover.persistence.Database;
import io.drover.persistence.Page;
import io.drover.persistence.Rows;
import io.drover.persistence.state.StateSql;
import io.drover.persistence.subtask.SubtaskState;
import io.drover.persistence.subtask.SubtaskTransition;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Jobs and their fan-out. Every state change is guarded so that a lost race changes nothing. */
public final class JobStore {
    /** Rows per INSERT when expanding a fan-out: one round trip each, bounded statement size. */
    static final int EXPAND_CHUNK = 2_000;

    private static final String COLUMNS = "id, name, state, spec::text AS spec, labels::text AS labels, source,"
            + " subtask_count, cancel_requested, error, created_at, started_at, finished_at, tenant";

    /** A job {@code j} none of whose subtasks is pending or running; one split, or cancelled before its split. */
    private static final String DONE = "(j.subtask_count IS NOT NULL OR j.cancel_requested)"
            + " AND NOT EXISTS (SELECT 1 FROM subtask s WHERE s.job_id = j.id AND "
            + StateSql.in("s.state", SubtaskState.unfinished()) + ")";

    private final Database db;

    public JobStore(Database db) {
        this.db = db;
    }

    /**
     * Stores a job, unless one with the same idempotency key exists: then that job is returned
     * with {@code created = false} and nothing is written.
     */
    public Insertion insert(NewJob job) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO job (name, spec, task, labels, source,"
                    + " idempotency_key, request_hash, concurrency, priority, max_attempts, retry_lost, schedule_id,"
                    + " source_commit, max_cost_usd, max_cost_per_subtask_usd, budget_on_exceeded, tenant)"
                    + " VALUES (?, ?::json, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (tenant, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id")) {
                NewJob.Dispatch d = job.dispatch();
                ps.setString(1, job.name());
                ps.setString(2, job.specJson());
                ps.setString(3, job.taskJson());
                ps.setString(4, job.labelsJson());
                ps.setString(5, job.source());
                ps.setString(6, job.idempotencyKey().orElse(null));
                ps.setString(7, job.requestHash());
                ps.setObject(8, d.concurrency());
                ps.setInt(9, d.priority());
                ps.setInt(10, d.maxAttempts());
                ps.setBoolean(11, d.retryLost());
                ps.setObject(12, job.scheduleId());
                ps.setString(13, job.sourceCommit());
                ps.setBigDecimal(14, d.maxCostUsd());
                ps.setBigDecimal(15, d.maxCostPerSubtaskUsd());
                ps.setString(16, d.stopRunningOnBudget() ? "stop-running" : "finish-running");
                ps.setString(17, job.tenant());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return new Insertion(rs.getLong(1), true, job.requestHash());
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, request_hash FROM job WHERE tenant = ? AND idempotency_key = ?")) {
                ps.setString(1, job.tenant());
                ps.setString(2, job.idempotencyKey().orElseThrow());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new Insertion(rs.getLong(1), false, rs.getString(2));
                }
            }
        });
    }

    public Optional<JobRecord> find(long id) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM job WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.empty();
                }
            }
        });
    }

    /** A tenant's jobs, newest first; the cursor is the id of the last job of the previous page. */
    public Page<JobRecord> list(String tenant, Optional<JobState> state, int limit, Optional<String> cursor) {
        Optional<Long> before = Rows.cursor(cursor);
        return db.autoCommit(c -> {
            String sql = "SELECT " + COLUMNS + " FROM job WHERE tenant = ? AND (?::text IS NULL OR state = ?::text)"
                    + " AND (?::bigint IS NULL OR id < ?::bigint) ORDER BY id DESC LIMIT ?";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                String s = state.map(Enum::name).orElse(null);
                Long b = before.orElse(null);
                ps.setString(1, tenant);
                ps.setString(2, s);
                ps.setString(3, s);
                ps.setObject(4, b);
                ps.setObject(5, b);
                ps.setInt(6, limit + 1);
                List<JobRecord> jobs = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        jobs.add(read(rs));
                    }
                }
                return page(jobs, limit);
            }
        });
    }

    /**
     * The tenant's jobs made since {@code since}, at most {@code limit} of them counted, and when the
     * oldest counted one was made: once that one is older than {@code since}, fewer than
     * {@code limit} remain.
     */
    public Recent recent(String tenant, Instant since, int limit) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT created_at FROM job WHERE tenant = ?"
                    + " AND created_at >= ? ORDER BY created_at DESC LIMIT ?")) {
                ps.setString(1, tenant);
                ps.setObject(2, since.atOffset(java.time.ZoneOffset.UTC));
                ps.setInt(3, limit);
                int count = 0;
                Instant oldest = null;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        count++;
                        oldest = Rows.instant(rs, "created_at");
                    }
                }
                return new Recent(count, oldest);
            }
        });
    }

    /** See {@link #recent}. */
    public record Recent(int count, Instant nthNewest) {
    }

    public Optional<String> taskJson(long jobId) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT task::text FROM job WHERE id = ?")) {
                ps.setLong(1, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    public Map<SubtaskState, Long> counts(long jobId) {
        return db.autoCommit(c -> {
            Map<SubtaskState, Long> counts = new EnumMap<>(SubtaskState.class);
            for (SubtaskState s : SubtaskState.values()) {
                counts.put(s, 0L);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT state, count(*) FROM subtask WHERE job_id = ? GROUP BY state")) {
                ps.setLong(1, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        counts.put(SubtaskState.valueOf(rs.getString(1)), rs.getLong(2));
                    }
                }
            }
            return counts;
        });
    }

    /** Jobs accepted but not yet split into subtasks, e.g. after a crash between the two steps. */
    public List<Long> unexpanded() {
        return db.autoCommit(c -> ids(c, "SELECT id FROM job WHERE subtask_count IS NULL AND "
                + StateSql.is("state", JobState.INITIAL) + " AND NOT cancel_requested ORDER BY id"));
    }

    /**
     * Stores the subtasks of a job in one transaction, in chunks of {@value #EXPAND_CHUNK} rows per
     * statement. Returns false (and writes nothing) if the job was already expanded or cancelled.
     */
    public boolean expand(long jobId, List<String> itemsJson) {
        return db.inTransaction(c -> {
            try (PreparedStatement guard = c.prepareStatement("UPDATE job SET subtask_count = ?, version = version + 1"
                    + " WHERE id = ? AND subtask_count IS NULL AND " + StateSql.is("state", JobState.INITIAL)
                    + " AND NOT cancel_requested")) {
                guard.setInt(1, itemsJson.size());
                guard.setLong(2, jobId);
                if (guard.executeUpdate() == 0) {
                    return false;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO subtask (job_id, idx, item)"
                    + " SELECT ?, ? + ord::int - 1, item::json FROM unnest(?::text[]) WITH ORDINALITY AS u(item, ord)")) {
                for (int from = 0; from < itemsJson.size(); from += EXPAND_CHUNK) {
                    List<String> chunk = itemsJson.subList(from, Math.min(itemsJson.size(), from + EXPAND_CHUNK));
                    Array array = c.createArrayOf("text", chunk.toArray());
                    ps.setLong(1, jobId);
                    ps.setInt(2, from);
                    ps.setArray(3, array);
                    ps.executeUpdate();
                    array.free();
                }
            }
            return true;
        });
    }

    /** Fails a job that has not finished, e.g. when its fan-out cannot be expanded. */
    public boolean fail(long jobId, String error) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE job SET state = " + JobTransition.FAIL.into()
                    + ", error = ?, finished_at = now(), version = version + 1 WHERE id = ? AND "
                    + JobTransition.FAIL.guard("state"))) {
                ps.setString(1, error);
                ps.setLong(2, jobId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * Requests cancellation: pending subtasks become CANCELLED at once; running ones are stopped by
     * their workers, which see the flag on their next heartbeat. Returns false if the job had already ended.
     */
    public boolean cancel(long jobId) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE job SET cancel_requested = TRUE, version = version + 1"
                    + " WHERE id = ? AND " + StateSql.in("state", JobState.active()))) {
                ps.setLong(1, jobId);
                if (ps.executeUpdate() == 0) {
                    return false;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE subtask SET state = " + SubtaskTransition.CANCEL.into()
                    + ", finished_at = now(), version = version + 1 WHERE job_id = ? AND "
                    + SubtaskTransition.CANCEL.guard("state"))) {
                ps.setLong(1, jobId);
                ps.executeUpdate();
            }
            return true;
        });
    }

    /**
     * Ends the job if none of its subtasks is pending or running. Run it after the transaction that
     * finished a subtask has committed: of two subtasks finishing at once, the later check sees both.
     */
    public Optional<JobState> completeIfDone(long jobId) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE job j SET state = CASE"
                    + "   WHEN j.cancel_requested THEN " + JobTransition.END.into(JobState.CANCELLED)
                    + "   WHEN j.budget_exceeded THEN " + JobTransition.END.into(JobState.BUDGET_EXCEEDED)
                    + "   WHEN EXISTS (SELECT 1 FROM subtask s WHERE s.job_id = j.id AND "
                    + StateSql.is("s.state", SubtaskState.FAILED) + ") THEN " + JobTransition.END.into(JobState.FAILED)
                    + "   ELSE " + JobTransition.END.into(JobState.SUCCEEDED) + " END,"
                    + " finished_at = now(), started_at = coalesce(j.started_at, now()), version = j.version + 1"
                    + " WHERE j.id = ? AND " + JobTransition.END.guard("j.state") + " AND " + DONE
                    + " RETURNING j.state")) {
                ps.setLong(1, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(JobState.valueOf(rs.getString(1))) : Optional.empty();
                }
            }
        });
    }

    /** Unfinished jobs with nothing left to run: a safety net for a completion check that never ran. */
    public List<Long> completable() {
        return db.autoCommit(c -> ids(c, "SELECT j.id FROM job j WHERE " + JobTransition.END.guard("j.state")
                + " AND " + DONE));
    }

    private static List<Long> ids(Connection c, String sql) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    private static Page<JobRecord> page(List<JobRecord> rows, int limit) {
        if (rows.size() <= limit) {
            return new Page<>(rows, Optional.empty());
        }
        List<JobRecord> items = List.copyOf(rows.subList(0, limit));
        return new Page<>(items, Optional.of(Long.toString(items.get(limit - 1).id())));
    }

    private static JobRecord read(ResultSet rs) throws SQLException {
        return new JobRecord(
                rs.getLong("id"),
                rs.getString("name"),
                JobState.valueOf(rs.getString("state")),
                rs.getString("spec"),
                rs.getString("labels"),
                rs.getString("source"),
                Rows.integer(rs, "subtask_count"),
                rs.getBoolean("cancel_requested"),
                rs.getString("error"),
                Rows.instant(rs, "created_at"),
                Rows.instant(rs, "started_at"),
                Rows.instant(rs, "finished_at"),
                rs.getString("tenant"));
    }
}
