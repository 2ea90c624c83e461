package io.drover.persistence.repo;

import io.drover.persistence.Database;
import io.drover.persistence.Rows;
import io.drover.persistence.schedule.ScheduleStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Registered repositories, the specs of their last sync, and the schedules those specs own. */
public final class RepoStore {
    private static final String COLUMNS = "id, url, branch, path_glob, secret, last_sync_commit, last_sync_at,"
            + " last_sync_error, last_sync_problems::text AS problems, created_at, tenant";

    private final Database db;

    public RepoStore(Database db) {
        this.db = db;
    }

    /** Registers a repository; empty if the same url, branch and glob are registered already. */
    public Optional<Long> insert(NewRepo repo) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO repo (url, branch, path_glob, secret, tenant)"
                    + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant, url, branch, path_glob) DO NOTHING RETURNING id")) {
                ps.setString(1, repo.url());
                ps.setString(2, repo.branch());
                ps.setString(3, repo.pathGlob());
                ps.setString(4, repo.secret());
                ps.setString(5, repo.tenant());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
                }
            }
        });
    }

    public Optional<RepoRecord> find(long id) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM repo WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.empty();
                }
            }
        });
    }

    public List<RepoRecord> list() {
        return db.autoCommit(c -> {
            List<RepoRecord> all = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM repo ORDER BY id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    all.add(read(rs));
                }
            }
            return all;
        });
    }

    /** Deletes the repository with its specs and the schedules it owns (their jobs stay). */
    public boolean delete(long id) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM repo WHERE id = ?")) {
                ps.setLong(1, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** The sync could not read the repository at all; what the last good sync applied stays. */
    public void recordFailure(long id, String error) {
        db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE repo SET last_sync_error = ?, last_sync_at = now(), version = version + 1 WHERE id = ?")) {
                ps.setString(1, error);
                ps.setLong(2, id);
                return ps.executeUpdate();
            }
        });
    }

    public Optional<RepoSpec> spec(long repoId, String name) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT repo_id, name, path, line, commit, spec::text,"
                    + " scheduled FROM repo_spec WHERE repo_id = ? AND name = ?")) {
                ps.setLong(1, repoId);
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new RepoSpec(rs.getLong(1), rs.getString(2), rs.getString(3),
                            rs.getInt(4), rs.getString(5), rs.getString(6), rs.getBoolean(7))) : Optional.empty();
                }
            }
        });
    }

    public List<RepoSpec> specs(long repoId) {
        return db.autoCommit(c -> {
            List<RepoSpec> all = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT repo_id, name, path, line, commit, spec::text,"
                    + " scheduled FROM repo_spec WHERE repo_id = ? ORDER BY path, line")) {
                ps.setLong(1, repoId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        all.add(new RepoSpec(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                                rs.getString(5), rs.getString(6), rs.getBoolean(7)));
                    }
                }
            }
            return all;
        });
    }

    /**
     * Applies one sync in one transaction, holding the repository's row lock so that two instances
     * syncing the same repository apply one after the other; the upserts on (repo_id, name) make the
     * second a no-op. A schedule counts as changed only if its spec or settings differ.
     */
    public SyncChanges apply(long repoId, SyncResult sync) {
        return db.inTransaction(c -> {
            try (PreparedStatement lock = c.prepareStatement("SELECT id FROM repo WHERE id = ? FOR UPDATE")) {
                lock.setLong(1, repoId);
                try (ResultSet rs = lock.executeQuery()) {
                    if (!rs.next()) {
                        return SyncChanges.NONE;
                    }
                }
            }
            List<Long> upserted = new ArrayList<>();
            List<String> scheduledNames = new ArrayList<>(sync.keptNames());
            for (SyncedSpec spec : sync.specs()) {
                if (spec.schedule() != null) {
                    scheduledNames.add(spec.name());
                    upsertSchedule(c, repoId, sync.commit(), spec).ifPresent(upserted::add);
                }
            }
            List<Long> removed = removeSchedules(c, repoId, scheduledNames, sync);
            replaceSpecs(c, repoId, sync);
            try (PreparedStatement ps = c.prepareStatement("UPDATE repo SET last_sync_commit = ?, last_sync_at = now(),"
                    + " last_sync_error = NULL, last_sync_problems = ?::jsonb, version = version + 1 WHERE id = ?")) {
                ps.setString(1, sync.commit());
                ps.setString(2, sync.problemsJson());
                ps.setLong(3, repoId);
                ps.executeUpdate();
            }
            return new SyncChanges(upserted, removed);
        });
    }

    private static Optional<Long> upsertSchedule(Connection c, long repoId, String commit, SyncedSpec spec)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO schedule AS s (name, spec, cron, time_zone, overlap,"
                + " misfire, suspended, repo_id, repo_path, repo_line, repo_commit, tenant)"
                + " VALUES (?, ?::json, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT tenant FROM repo WHERE id = ?))"
                + " ON CONFLICT (repo_id, name) DO UPDATE SET spec = EXCLUDED.spec, cron = EXCLUDED.cron,"
                + " time_zone = EXCLUDED.time_zone, overlap = EXCLUDED.overlap, misfire = EXCLUDED.misfire,"
                + " suspended = EXCLUDED.suspended, repo_path = EXCLUDED.repo_path, repo_line = EXCLUDED.repo_line,"
                + " repo_commit = EXCLUDED.repo_commit, updated_at = now(), version = s.version + 1"
                + " WHERE (s.spec::text, s.cron, s.time_zone, s.overlap, s.misfire, s.suspended, s.repo_path, s.repo_line)"
                + " IS DISTINCT FROM (EXCLUDED.spec::text, EXCLUDED.cron, EXCLUDED.time_zone, EXCLUDED.overlap,"
                + " EXCLUDED.misfire, EXCLUDED.suspended, EXCLUDED.repo_path, EXCLUDED.repo_line) RETURNING s.id")) {
            ps.setString(1, spec.name());
            ps.setString(2, spec.specJson());
            ScheduleStore.setSettings(ps, 3, spec.schedule());
            ps.setLong(8, repoId);
            ps.setString(9, spec.path());
            ps.setInt(10, spec.line());
            ps.setString(11, commit);
            ps.setLong(12, repoId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    private static List<Long> removeSchedules(Connection c, long repoId, List<String> keep, SyncResult sync)
            throws SQLException {
        List<Long> removed = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM schedule WHERE repo_id = ?"
                + " AND NOT (name = ANY (?)) AND NOT (repo_path = ANY (?)) RETURNING id")) {
            ps.setLong(1, repoId);
            ps.setArray(2, c.createArrayOf("text", keep.toArray()));
            ps.setArray(3, c.createArrayOf("text", sync.brokenPaths().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    removed.add(rs.getLong(1));
                }
            }
        }
        return removed;
    }

    private static void replaceSpecs(Connection c, long repoId, SyncResult sync) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM repo_spec WHERE repo_id = ?"
                + " AND NOT (name = ANY (?)) AND NOT (path = ANY (?))")) {
            ps.setLong(1, repoId);
            ps.setArray(2, c.createArrayOf("text", sync.keptNames().toArray()));
            ps.setArray(3, c.createArrayOf("text", sync.brokenPaths().toArray()));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO repo_spec (repo_id, name, path, line, commit, spec,"
                + " scheduled) VALUES (?, ?, ?, ?, ?, ?::json, ?) ON CONFLICT (repo_id, name) DO UPDATE SET"
                + " path = EXCLUDED.path, line = EXCLUDED.line, commit = EXCLUDED.commit, spec = EXCLUDED.spec,"
                + " scheduled = EXCLUDED.scheduled, updated_at = now()")) {
            for (SyncedSpec spec : sync.specs()) {
                ps.setLong(1, repoId);
                ps.setString(2, spec.name());
                ps.setString(3, spec.path());
                ps.setInt(4, spec.line());
                ps.setString(5, sync.commit());
                ps.setString(6, spec.specJson());
                ps.setBoolean(7, spec.schedule() != null);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static RepoRecord read(ResultSet rs) throws SQLException {
        return new RepoRecord(rs.getLong("id"), rs.getString("url"), rs.getString("branch"), rs.getString("path_glob"),
                rs.getString("secret"), rs.getString("last_sync_commit"), Rows.instant(rs, "last_sync_at"),
                rs.getString("last_sync_error"), rs.getString("problems"), Rows.instant(rs, "created_at"),
                rs.getString("tenant"));
    }
}
