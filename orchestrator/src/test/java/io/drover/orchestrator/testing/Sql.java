package io.drover.orchestrator.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** One value read by a test from the database the Drover processes under test share. */
public final class Sql {
    private Sql() {
    }

    public static long scalar(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = first(s, sql)) {
            return rs.getLong(1);
        }
    }

    public static double decimal(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = first(s, sql)) {
            return rs.getDouble(1);
        }
    }

    public static String text(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = first(s, sql)) {
            return rs.getString(1);
        }
    }

    private static ResultSet first(Statement s, String sql) throws SQLException {
        ResultSet rs = s.executeQuery(sql);
        if (!rs.next()) {
            rs.close();
            throw new IllegalStateException("no row for: " + sql);
        }
        return rs;
    }
}
