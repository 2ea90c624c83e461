package io.drover.persistence.snapshot;

import io.drover.persistence.Database;
import io.drover.persistence.Rows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code base_copy} table: which node holds which base on its disk, how it got it (built or
 * fetched from a peer), and when it was last used there. Every statement names the node, so each
 * node builds, uses and collects its own copies without waiting on another's. Transitions are
 * conditional on the state they leave (a READY copy is never taken back to BUILDING), so
 * concurrent recorders on one node converge; each one also refreshes the base's summary state in
 * {@code base_snapshot} (READY while any copy is). Times come from the caller's clock.
 */
public final class BaseCopyStore {
    private static final String COLUMNS = "hash, node, state, location, size_bytes, content_hash, build_ms, fetched_ms,"
            + " fetched_from, builder, error, created_at, ready_at, last_used_at, deleted_at";

    /** The base's state as its copies' summary: READY if any is, else BUILDING, else FAILED, else DELETED. */
    private static final String SUMMARIZE = """
            UPDATE base_snapshot b
               SET state = s.state, deleted_at = CASE WHEN s.state = 'DELETED' THEN s.deleted_at END,
                   version = b.version + 1
              FROM (SELECT CASE WHEN bool_or(state = 'READY') THEN 'READY'
                                WHEN bool_or(state = 'BUILDING') THEN 'BUILDING'
                                WHEN bool_or(state = 'FAILED') THEN 'FAILED' ELSE 'DELETED' END AS state,
                           max(deleted_at) AS deleted_at
                      FROM base_copy WHERE hash = ?) s
             WHERE b.hash = ? AND b.state IS DISTINCT FROM s.state
            """;

    private final Database db;

    public BaseCopyStore(Database db) {
        this.db = db;
    }

    /**
     * Marks a use now of this node's copy and of the base, and returns the copy's state; empty when
     * this node never recorded one. A copy that garbage collection has claimed comes back DELETED:
     * the caller must wait for the collection to finish before it prepares the base again.
     */
    public Optional<SnapshotState> touch(String hash, String node, Instant now) {
        return db.autoCommit(c -> {
            touchBase(c, List.of(hash), now);
            try (PreparedStatement ps = c.prepareStatement("UPDATE base_copy SET last_used_at ="
                    + " GREATEST(last_used_at, ?) WHERE hash = ? AND node = ? RETURNING state")) {
                ps.setObject(1, at(now));
                ps.setString(2, hash);
                ps.setString(3, node);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(SnapshotState.valueOf(rs.getString(1))) : Optional.empty();
                }
            }
        });
    }

    /** Marks uses now of this node's copies held by running sandboxes, so that its collector keeps them. */
    public void touchAll(String node, Collection<String> hashes, Instant now) {
        if (hashes.isEmpty()) {
            return;
        }
        db.autoCommit(c -> {
            touchBase(c, hashes, now);
            try (PreparedStatement ps = c.prepareStatement("UPDATE base_copy SET last_used_at ="
                    + " GREATEST(last_used_at, ?) WHERE hash = ANY (?) AND node = ?")) {
                ps.setObject(1, at(now));
                ps.setArray(2, c.createArrayOf("text", hashes.toArray()));
                ps.setString(3, node);
                return ps.executeUpdate();
            }
        });
    }

    /** This node is about to build (or fetch, or find on disk) its copy; records the base's spec if new. */
    public void building(String hash, String driver, String specJson, String node, String builder, Instant now) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO base_snapshot (hash, driver, state, spec,"
                    + " builder, created_at, tenant) VALUES (?, ?, 'BUILDING', ?::jsonb, ?, ?,"
                    + " COALESCE(?::jsonb ->> 'tenant', 'default')) ON CONFLICT (hash) DO NOTHING")) {
                ps.setString(1, hash);
                ps.setString(2, driver);
                ps.setString(3, specJson);
                ps.setString(4, builder);
                ps.setObject(5, at(now));
                ps.setString(6, specJson);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO base_copy (hash, node, state, builder,"
                    + " created_at) VALUES (?, ?, 'BUILDING', ?, ?) ON CONFLICT (hash, node) DO UPDATE SET"
                    + " state = 'BUILDING', builder = EXCLUDED.builder, error = NULL, deleted_at = NULL"
                    + " WHERE base_copy.state <> 'READY'")) {
                ps.setString(1, hash);
                ps.setString(2, node);
                ps.setString(3, builder);
                ps.setObject(4, at(now));
                ps.executeUpdate();
            }
            return summarize(c, hash);
        });
    }

    /**
     * This node's copy is on its disk. Returns true when this call made it READY (this caller's
     * build or fetch is the one to price), false when it already was.
     */
    public boolean ready(CopyReady r, Instant now) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO base_copy (hash, node, state, location,"
                    + " size_bytes, content_hash, build_ms, fetched_ms, fetched_from, builder, created_at, ready_at,"
                    + " last_used_at) VALUES (?, ?, 'READY', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (hash, node) DO UPDATE SET state = 'READY', location = EXCLUDED.location,"
                    + " size_bytes = EXCLUDED.size_bytes, content_hash = EXCLUDED.content_hash,"
                    + " build_ms = EXCLUDED.build_ms, fetched_ms = EXCLUDED.fetched_ms,"
                    + " fetched_from = EXCLUDED.fetched_from, builder = EXCLUDED.builder, error = NULL,"
                    + " ready_at = EXCLUDED.ready_at, deleted_at = NULL,"
                    + " last_used_at = GREATEST(base_copy.last_used_at, EXCLUDED.last_used_at)"
                    + " WHERE base_copy.state <> 'READY'")) {
                ps.setString(1, r.hash());
                ps.setString(2, r.node());
                ps.setString(3, r.location());
                ps.setLong(4, r.sizeBytes());
                ps.setString(5, r.contentHash());
                ps.setObject(6, r.fetched() ? null : r.millis());
                ps.setObject(7, r.fetched() ? r.millis() : null);
                ps.setString(8, r.fetchedFrom());
                ps.setString(9, r.builder());
                for (int i = 10; i <= 12; i++) {
                    ps.setObject(i, at(now));
                }
                if (ps.executeUpdate() != 1) {
                    return false;
                }
            }
            // The base's own figures stay those of the copy that first made it READY.
            try (PreparedStatement ps = c.prepareStatement("UPDATE base_snapshot SET location = ?, size_bytes = ?,"
                    + " build_ms = ?, builder = ?, error = NULL, ready_at = ?,"
                    + " last_used_at = GREATEST(last_used_at, ?) WHERE hash = ? AND state <> 'READY'")) {
                ps.setString(1, r.location());
                ps.setLong(2, r.sizeBytes());
                ps.setLong(3, r.millis());
                ps.setString(4, r.builder());
                ps.setObject(5, at(now));
                ps.setObject(6, at(now));
                ps.setString(7, r.hash());
                ps.executeUpdate();
            }
            summarize(c, r.hash());
            return true;
        });
    }

    /** This node's setup failed; a copy made READY meanwhile (by another thread of the node) stays READY. */
    public void failed(String hash, String node, String builder, String error, Instant now) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE base_copy SET state = 'FAILED', builder = ?,"
                    + " error = ?, location = NULL, size_bytes = NULL WHERE hash = ? AND node = ? AND state <> 'READY'")) {
                ps.setString(1, builder);
                ps.setString(2, error);
                ps.setString(3, hash);
                ps.setString(4, node);
                if (ps.executeUpdate() == 0) {
                    return 0;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE base_snapshot SET builder = ?, error = ?"
                    + " WHERE hash = ? AND state <> 'READY'")) {
                ps.setString(1, builder);
                ps.setString(2, error);
                ps.setString(3, hash);
                ps.executeUpdate();
            }
            return summarize(c, hash);
        });
    }

    /**
     * Takes over the copy that V13 recorded for the unnamed node of an older version, when this node
     * found that base on its own disk: the copy and its priced build become this node's, and nothing
     * is priced again. False when there is no such copy (another node took it, or there never was one).
     */
    public boolean adoptLegacy(String hash, String node) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM base_copy WHERE hash = ? AND node = ?"
                    + " AND state = 'READY'")) {
                ps.setString(1, hash);
                ps.setString(2, BaseCopy.LEGACY_NODE);
                if (ps.executeUpdate() != 1) {
                    return false;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE base_build SET node = ? WHERE base_hash = ?"
                    + " AND node = ? AND deleted_at IS NULL")) {
                ps.setString(1, node);
                ps.setString(2, hash);
                ps.setString(3, BaseCopy.LEGACY_NODE);
                ps.executeUpdate();
            }
            return true;
        });
    }

    /** Records one node's copy with its price: a build's setup and storage, or a fetched copy's storage. */
    public void priced(BaseBuild b) {
        db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO base_build (base_hash, driver, build_ms,"
                    + " memory_limit_bytes, vcpus, memory_gib_second_usd, vcpu_second_usd, storage_gib_second_usd,"
                    + " setup_usd, size_bytes, built_at, node, fetched_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, b.baseHash());
                ps.setString(2, b.driver());
                ps.setLong(3, b.buildMs());
                ps.setLong(4, b.memoryLimitBytes());
                ps.setBigDecimal(5, b.vcpus());
                ps.setBigDecimal(6, b.memoryGibSecondUsd());
                ps.setBigDecimal(7, b.vcpuSecondUsd());
                ps.setBigDecimal(8, b.storageGibSecondUsd());
                ps.setBigDecimal(9, b.setupUsd());
                ps.setLong(10, b.sizeBytes());
                ps.setObject(11, at(b.builtAt()));
                ps.setString(12, b.node());
                ps.setString(13, b.fetchedFrom());
                return ps.executeUpdate();
            }
        });
    }

    /** This node's READY copies of {@code driver}'s bases neither used nor made ready since {@code cutoff}, oldest first. */
    public List<String> idleSince(String node, String driver, Instant cutoff) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT c.hash FROM base_copy c JOIN base_snapshot b"
                    + " ON b.hash = c.hash WHERE c.node = ? AND b.driver = ? AND c.state = 'READY'"
                    + " AND COALESCE(c.last_used_at, c.ready_at, c.created_at) < ?"
                    + " ORDER BY COALESCE(c.last_used_at, c.ready_at, c.created_at)")) {
                ps.setString(1, node);
                ps.setString(2, driver);
                ps.setObject(3, at(cutoff));
                List<String> hashes = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        hashes.add(rs.getString(1));
                    }
                }
                return hashes;
            }
        });
    }

    /**
     * Takes this node's idle READY copy for deletion, in one statement: false when it was used since
     * {@code cutoff} or is no longer READY. Its storage stops being charged now.
     */
    public boolean claimForDeletion(String hash, String node, Instant cutoff, Instant now) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE base_copy SET state = 'DELETED', deleted_at = ?"
                    + " WHERE hash = ? AND node = ? AND state = 'READY'"
                    + " AND COALESCE(last_used_at, ready_at, created_at) < ?")) {
                ps.setObject(1, at(now));
                ps.setString(2, hash);
                ps.setString(3, node);
                ps.setObject(4, at(cutoff));
                if (ps.executeUpdate() != 1) {
                    return false;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE base_build SET deleted_at = ?"
                    + " WHERE base_hash = ? AND node = ? AND deleted_at IS NULL")) {
                ps.setObject(1, at(now));
                ps.setString(2, hash);
                ps.setString(3, node);
                ps.executeUpdate();
            }
            summarize(c, hash);
            return true;
        });
    }

    /** Undoes a claim whose copy turned out to be in use: it stays on disk and READY. */
    public void unclaim(String hash, String node) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE base_copy SET state = 'READY', deleted_at = NULL"
                    + " WHERE hash = ? AND node = ? AND state = 'DELETED'")) {
                ps.setString(1, hash);
                ps.setString(2, node);
                if (ps.executeUpdate() == 0) {
                    return 0;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE base_build SET deleted_at = NULL WHERE id ="
                    + " (SELECT max(id) FROM base_build WHERE base_hash = ? AND node = ?)")) {
                ps.setString(1, hash);
                ps.setString(2, node);
                ps.executeUpdate();
            }
            return summarize(c, hash);
        });
    }

    public Optional<BaseCopy> find(String hash, String node) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM base_copy"
                    + " WHERE hash = ? AND node = ?")) {
                ps.setString(1, hash);
                ps.setString(2, node);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.<BaseCopy>empty();
                }
            }
        });
    }

    /** The copies of each of {@code hashes}, by node name. */
    public Map<String, List<BaseCopy>> of(Collection<String> hashes) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM base_copy"
                    + " WHERE hash = ANY (?) ORDER BY hash, node")) {
                ps.setArray(1, c.createArrayOf("text", hashes.toArray()));
                Map<String, List<BaseCopy>> copies = new LinkedHashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        BaseCopy copy = read(rs);
                        copies.computeIfAbsent(copy.hash(), h -> new ArrayList<>()).add(copy);
                    }
                }
                return copies;
            }
        });
    }

    private static int touchBase(Connection c, Collection<String> hashes, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE base_snapshot SET last_used_at ="
                + " GREATEST(last_used_at, ?) WHERE hash = ANY (?)")) {
            ps.setObject(1, at(now));
            ps.setArray(2, c.createArrayOf("text", hashes.toArray()));
            return ps.executeUpdate();
        }
    }

    private static int summarize(Connection c, String hash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SUMMARIZE)) {
            ps.setString(1, hash);
            ps.setString(2, hash);
            return ps.executeUpdate();
        }
    }

    private static BaseCopy read(ResultSet rs) throws SQLException {
        return new BaseCopy(rs.getString("hash"), rs.getString("node"), SnapshotState.valueOf(rs.getString("state")),
                rs.getString("location"), Rows.longValue(rs, "size_bytes"), rs.getString("content_hash"),
                Rows.longValue(rs, "build_ms"), Rows.longValue(rs, "fetched_ms"), rs.getString("fetched_from"),
                rs.getString("builder"), rs.getString("error"), Rows.instant(rs, "created_at"),
                Rows.instant(rs, "ready_at"), Rows.instant(rs, "last_used_at"), Rows.instant(rs, "deleted_at"));
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
