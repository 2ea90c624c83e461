package io.drover.bench;

import io.drover.persistence.Database;
import io.drover.persistence.Migrations;
import io.drover.persistence.embedded.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/** One embedded PostgreSQL for the whole run; a fresh database per measurement. */
final class BenchDatabase implements AutoCloseable {
    private final EmbeddedPostgresServer server = EmbeddedPostgresServer.ephemeral();
    private final AtomicInteger counter = new AtomicInteger();

    DataSource fresh() {
        String name = "bench_" + counter.incrementAndGet();
        execute(server.dataSource(EmbeddedPostgresServer.DATABASE), "CREATE DATABASE " + name);
        return server.dataSource(name);
    }

    Database freshDrover() {
        Database db = new Database(fresh());
        Migrations.migrate(db.dataSource());
        return db;
    }

    static void execute(DataSource ds, String sql) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    static long scalar(DataSource ds, String sql) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
