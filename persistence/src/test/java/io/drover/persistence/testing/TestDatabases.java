package io.drover.persistence.testing;

import io.drover.persistence.Database;
import io.drover.persistence.Migrations;
import io.drover.persistence.embedded.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL server per test JVM, and a fresh, migrated database for each caller, so
 * tests never see each other's rows. The server stops when the JVM exits.
 */
public final class TestDatabases {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgresServer server;

    private TestDatabases() {
    }

    public static synchronized EmbeddedPostgresServer server() {
        if (server == null) {
            server = EmbeddedPostgresServer.ephemeral();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "test-postgres-stop"));
        }
        return server;
    }

    /** A new empty database with Drover's schema. */
    public static Database fresh() {
        Database db = new Database(server().dataSource(empty()));
        Migrations.migrate(db.dataSource());
        return db;
    }

    /** The name of a new database with nothing in it, for a Drover process to migrate itself. */
    public static String empty() {
        String name = "drover_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (Connection c = server().dataSource(EmbeddedPostgresServer.DATABASE).getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name, e);
        }
        return name;
    }
}
