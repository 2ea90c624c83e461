package io.drover.persistence.instance;

import io.drover.persistence.Database;
import io.drover.persistence.Rows;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The instance table: processes register at start-up, renew {@code seen_at}, and say when they stop. */
public final class InstanceStore {
    private static final String COLUMNS = "id, node, roles, address, started_at, seen_at, stopped_at";

    private final Database db;

    public InstanceStore(Database db) {
        this.db = db;
    }

    public void register(String id, String node, String roles, String address) {
        db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO instance (id, node, roles, address)"
                    + " VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET node = excluded.node,"
                    + " roles = excluded.roles, address = excluded.address, seen_at = now(), stopped_at = NULL")) {
                ps.setString(1, id);
                ps.setString(2, node);
                ps.setString(3, roles);
                ps.setString(4, address);
                return ps.executeUpdate();
            }
        });
    }

    /** Renews the instance's {@code seen_at}; false if it is not registered (e.g. its row was removed). */
    public boolean beat(String id) {
        return update("UPDATE instance SET seen_at = now() WHERE id = ? AND stopped_at IS NULL", id) == 1;
    }

    public void stop(String id) {
        update("UPDATE instance SET stopped_at = now() WHERE id = ?", id);
    }

    public Optional<InstanceRecord> find(String id) {
        List<InstanceRecord> found = select("SELECT " + COLUMNS + " FROM instance WHERE id = ?", id);
        return found.stream().findFirst();
    }

    /** Instances not stopped and seen within {@code goneAfter}, oldest first. */
    public List<InstanceRecord> live(Duration goneAfter) {
        return select("SELECT " + COLUMNS + " FROM instance WHERE stopped_at IS NULL"
                + " AND seen_at > now() - make_interval(secs => ?::double precision) ORDER BY started_at, id",
                goneAfter.toMillis() / 1000.0);
    }

    /** Forgets instances stopped or unseen for longer than {@code keep}; returns how many. */
    public int forget(Duration keep) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM instance WHERE coalesce(stopped_at, seen_at)"
                    + " < now() - make_interval(secs => ?::double precision)")) {
                ps.setDouble(1, keep.toMillis() / 1000.0);
                return ps.executeUpdate();
            }
        });
    }

    private int update(String sql, String id) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, id);
                return ps.executeUpdate();
            }
        });
    }

    private List<InstanceRecord> select(String sql, Object parameter) {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setObject(1, parameter);
                List<InstanceRecord> found = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(read(rs));
                    }
                }
                return found;
            }
        });
    }

    private static InstanceRecord read(ResultSet rs) throws SQLException {
        return new InstanceRecord(rs.getString("id"), rs.getString("node"), rs.getString("roles"),
                rs.getString("address"), Rows.instant(rs, "started_at"), Rows.instant(rs, "seen_at"),
                Rows.instant(rs, "stopped_at"));
    }
}
