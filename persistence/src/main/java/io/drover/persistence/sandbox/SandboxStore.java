package io.drover.persistence.sandbox;

import io.drover.persistence.Database;
import io.drover.persistence.Rows;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The sandbox table: each exec-API sandbox with its owner instance and its token's digest, so that
 * every replica can check a token and find where the sandbox lives; and the drivers each instance
 * runs, so that a replica without drivers knows where a sandbox can be opened.
 */
public final class SandboxStore {
    private static final String COLUMNS = "id, owner, driver, base_hash, kind, token_sha256, state, opened_at,"
            + " expires_at, closed_at";
    /** An instance is live while it is not stopped and was seen within the given seconds. */
    private static final String LIVE = "i.stopped_at IS NULL AND i.seen_at > now() - make_interval(secs => ?::double precision)";

    private final Database db;

    public SandboxStore(Database db) {
        this.db = db;
    }

    public void record(NewSandbox s) {
        db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sandbox (id, owner, driver, base_hash, kind,"
                    + " token_sha256, state, expires_at, tenant) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, s.id());
                ps.setString(2, s.owner());
                ps.setString(3, s.driver());
                ps.setString(4, s.baseHash());
                ps.setString(5, s.kind().name());
                ps.setBytes(6, s.tokenSha256());
                ps.setString(7, s.state());
                ps.setTimestamp(8, s.expiresAt() == null ? null : Timestamp.from(s.expiresAt()));
                ps.setString(9, s.tenant());
                return ps.executeUpdate();
            }
        });
    }

    /** The tenant's open sandboxes, on every instance: what its {@code max_open_sandboxes} counts. */
    public long openCount(String tenant) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT count(*) FROM sandbox WHERE tenant = ? AND closed_at IS NULL")) {
                ps.setString(1, tenant);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    public Optional<SandboxRecord> find(String id) {
        return select("SELECT " + COLUMNS + " FROM sandbox WHERE id = ?", id).stream().findFirst();
    }

    /** The open sandbox whose token has this SHA-256. */
    public Optional<SandboxRecord> withToken(byte[] sha256) {
        return select("SELECT " + COLUMNS + " FROM sandbox WHERE token_sha256 = ? AND closed_at IS NULL", sha256)
                .stream().findFirst();
    }

    /** Writes the state the owner sees now, while the sandbox is open. */
    public void seen(String id, String state) {
        update("UPDATE sandbox SET state = ? WHERE id = ? AND closed_at IS NULL", state, id);
    }

    /** Marks the sandbox closed; false if it was closed already. */
    public boolean close(String id) {
        return update("UPDATE sandbox SET state = '" + SandboxRecord.CLOSED + "', closed_at = now()"
                + " WHERE id = ? AND closed_at IS NULL", id) == 1;
    }

    /**
     * Marks LOST every open sandbox whose owner is gone (stopped, not seen within {@code goneAfter},
     * or forgotten): the sandbox went with its process. Live instances' sandboxes are left alone, and
     * so are those of {@code self} (the caller, alive whatever its row says).
     */
    public List<SandboxRecord> reclaim(Duration goneAfter, String self) {
        return select("UPDATE sandbox s SET state = '" + SandboxRecord.LOST + "', closed_at = now()"
                + " WHERE s.closed_at IS NULL AND s.owner <> ? AND NOT EXISTS (SELECT 1 FROM instance i"
                + " WHERE i.id = s.owner AND " + LIVE + ") RETURNING " + COLUMNS, self, seconds(goneAfter));
    }

    /** Records the sandbox drivers that passed their preflight on {@code instance} (none: it runs no sandbox). */
    public void offer(String instance, Set<String> drivers) {
        update("UPDATE instance SET sandbox_drivers = ? WHERE id = ?",
                drivers.isEmpty() ? null : String.join(",", new TreeSet<>(drivers)), instance);
    }

    /** The live instances that run sandboxes of {@code driver}, those with the fewest open sandboxes first. */
    public List<SandboxHost> hosts(String driver, Duration goneAfter) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT i.id, i.address, count(s.id) AS open
                      FROM instance i LEFT JOIN sandbox s ON s.owner = i.id AND s.closed_at IS NULL
                     WHERE ? = ANY (string_to_array(i.sandbox_drivers, ',')) AND %s
                     GROUP BY i.id, i.address, i.started_at
                     ORDER BY count(s.id), i.started_at, i.id
                    """.formatted(LIVE))) {
                ps.setString(1, driver);
                ps.setDouble(2, seconds(goneAfter));
                List<SandboxHost> hosts = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        hosts.add(new SandboxHost(rs.getString(1), rs.getString(2), rs.getInt(3)));
                    }
                }
                return hosts;
            }
        });
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    private int update(String sql, Object... parameters) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    ps.setObject(i + 1, parameters[i]);
                }
                return ps.executeUpdate();
            }
        });
    }

    private List<SandboxRecord> select(String sql, Object... parameters) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    ps.setObject(i + 1, parameters[i]);
                }
                List<SandboxRecord> found = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(read(rs));
                    }
                }
                return found;
            }
        });
    }

    private static SandboxRecord read(ResultSet rs) throws SQLException {
        return new SandboxRecord(rs.getString("id"), rs.getString("owner"), rs.getString("driver"),
                rs.getString("base_hash"), SandboxKind.valueOf(rs.getString("kind")), rs.getBytes("token_sha256"),
                rs.getString("state"), Rows.instant(rs, "opened_at"), Rows.instant(rs, "expires_at"),
                Rows.instant(rs, "closed_at"));
    }
}
