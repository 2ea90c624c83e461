package io.drover.persistence.schedule;

import io.drover.persistence.Database;
import io.drover.persistence.PersistenceException;
import io.drover.persistence.Rows;
import io.drover.persistence.job.JobState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Schedules, the record of their fires, and the jobs they started. */
public final class ScheduleStore {
    static final String COLUMNS = "id, name, spec::text AS spec, cron, time_zone, overlap, misfire, suspended,"
            + " repo_id, repo_path, repo_line, repo_commit, created_at, updated_at, tenant";
    private static final String UNIQUE_VIOLATION = "23505";

    private final Database db;

    public ScheduleStore(Database db) {
        this.db = db;
    }

    /** The default tenant's {@link #insert(String, String, String, ScheduleSettings)}. */
    public long insert(String name, String specJson, ScheduleSettings s) {
        return insert(io.drover.persistence.job.NewJob.DEFAULT_TENANT, name, specJson, s);
    }

    /** Stores a schedule created over REST; throws {@link NameTakenException} if the tenant has that name. */
    public long insert(String tenant, String name, String specJson, ScheduleSettings s) {
        return uniqueName(name, () -> db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO schedule (name, spec, cron, time_zone, overlap,"
                    + " misfire, suspended, tenant) VALUES (?, ?::json, ?, ?, ?, ?, ?, ?) RETURNING id")) {
                ps.setString(1, name);
                ps.setString(2, specJson);
                setSettings(ps, 3, s);
                ps.setString(8, tenant);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }));
    }

    /** Replaces a REST schedule's spec; false if there is no such schedule created over REST. */
    public boolean update(long id, String name, String specJson, ScheduleSettings s) {
        return uniqueName(name, () -> db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE schedule SET name = ?, spec = ?::json, cron = ?,"
                    + " time_zone = ?, overlap = ?, misfire = ?, suspended = ?, updated_at = now(), version = version + 1"
                    + " WHERE id = ? AND repo_id IS NULL")) {
                ps.setString(1, name);
                ps.setString(2, specJson);
                setSettings(ps, 3, s);
                ps.setLong(8, id);
                return ps.executeUpdate() == 1;
            }
        }));
    }

    public boolean setSuspended(long id, boolean suspended) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE schedule SET suspended = ?, updated_at = now(),"
                    + " version = version + 1 WHERE id = ?")) {
                ps.setBoolean(1, suspended);
                ps.setLong(2, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    public boolean delete(long id) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM schedule WHERE id = ?")) {
                ps.setLong(1, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    public Optional<ScheduleRecord> find(long id) {
        return db.autoCommit(c -> find(c, id, ""));
    }

    /** Every schedule, oldest first: there are few, and the reconciler needs all of them. */
    public List<ScheduleRecord> list() {
        return db.autoCommit(c -> {
            List<ScheduleRecord> all = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM schedule ORDER BY id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    all.add(read(rs));
                }
            }
            return all;
        });
    }

    public List<Long> ownedBy(long repoId) {
        return db.autoCommit(c -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM schedule WHERE repo_id = ? ORDER BY id")) {
                ps.setLong(1, repoId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            return ids;
        });
    }

    /**
     * Runs {@code fire} while holding the schedule's row lock, so that two fires of one schedule (two
     * instances, or a cron fire and a manual one) decide about overlap one after the other. The
     * function sees an empty schedule if it was deleted meanwhile. The lock is FOR NO KEY UPDATE, not
     * FOR UPDATE: the fire inserts a job and a fire row that reference the schedule on other
     * connections, and their foreign-key checks take KEY SHARE locks that FOR UPDATE would block forever.
     */
    public <T> T whileLocked(long id, Function<Optional<ScheduleRecord>, T> fire) {
        return db.inTransaction(c -> fire.apply(find(c, id, " FOR NO KEY UPDATE")));
    }

    public Optional<LastJob> lastJob(long scheduleId) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, state FROM job WHERE schedule_id = ? ORDER BY id DESC LIMIT 1")) {
                ps.setLong(1, scheduleId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new LastJob(rs.getLong(1), JobState.valueOf(rs.getString(2))))
                            : Optional.empty();
                }
            }
        });
    }

    public long recordFire(long scheduleId, FireTrigger trigger, Instant scheduledAt, FireOutcome outcome,
            String reason, Long jobId, String instance) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO schedule_fire (schedule_id, trigger,"
                    + " scheduled_at, outcome, reason, job_id, instance) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
                ps.setLong(1, scheduleId);
                ps.setString(2, trigger.name());
                ps.setTimestamp(3, scheduledAt == null ? null : Timestamp.from(scheduledAt));
                ps.setString(4, outcome.name());
                ps.setString(5, reason);
                ps.setObject(6, jobId);
                ps.setString(7, instance);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** The newest fires first. */
    public List<FireRecord> fires(long scheduleId, int limit) {
        return db.autoCommit(c -> {
            List<FireRecord> fires = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, schedule_id, trigger, scheduled_at, fired_at,"
                    + " outcome, reason, job_id, instance FROM schedule_fire WHERE schedule_id = ? ORDER BY id DESC LIMIT ?")) {
                ps.setLong(1, scheduleId);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        fires.add(new FireRecord(rs.getLong("id"), rs.getLong("schedule_id"),
                                FireTrigger.valueOf(rs.getString("trigger")), Rows.instant(rs, "scheduled_at"),
                                Rows.instant(rs, "fired_at"), FireOutcome.valueOf(rs.getString("outcome")),
                                rs.getString("reason"), Rows.longValue(rs, "job_id"), rs.getString("instance")));
                    }
                }
            }
            return fires;
        });
    }

    private static Optional<ScheduleRecord> find(Connection c, long id, String lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM schedule WHERE id = ?" + lock)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** Binds the five settings columns from parameter {@code from} on; shared with the repository sync. */
    public static void setSettings(PreparedStatement ps, int from, ScheduleSettings s) throws SQLException {
        ps.setString(from, s.cron());
        ps.setString(from + 1, s.timeZone());
        ps.setString(from + 2, s.overlap().name());
        ps.setString(from + 3, s.misfire().name());
        ps.setBoolean(from + 4, s.suspended());
    }

    static ScheduleRecord read(ResultSet rs) throws SQLException {
        ScheduleSettings settings = new ScheduleSettings(rs.getString("cron"), rs.getString("time_zone"),
                Overlap.valueOf(rs.getString("overlap")), Misfire.valueOf(rs.getString("misfire")),
                rs.getBoolean("suspended"));
        return new ScheduleRecord(rs.getLong("id"), rs.getString("name"), rs.getString("spec"), settings,
                Rows.longValue(rs, "repo_id"), rs.getString("repo_path"), Rows.integer(rs, "repo_line"),
                rs.getString("repo_commit"), Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"),
                rs.getString("tenant"));
    }

    private static <T> T uniqueName(String name, java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (PersistenceException e) {
            if (e.getCause() instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                throw new NameTakenException(name);
            }
            throw e;
        }
    }
}
