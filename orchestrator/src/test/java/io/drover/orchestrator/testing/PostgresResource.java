package io.drover.orchestrator.testing;

import io.drover.persistence.embedded.EmbeddedPostgresServer;
import io.drover.persistence.testing.TestDatabases;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;

/** A real embedded PostgreSQL (one empty database for the test run) and a private data directory. */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {
    private Path dataDir;

    @Override
    public Map<String, String> start() {
        EmbeddedPostgresServer server = TestDatabases.server();
        String database = "drover_quarkus_" + ProcessHandle.current().pid();
        try (Connection c = server.dataSource(EmbeddedPostgresServer.DATABASE).getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
            // Searchable by others, so that sandboxes reach their root directly (see docs/sandboxes.md, RootDoor).
            dataDir = Files.createTempDirectory("drover-test-data", java.nio.file.attribute.PosixFilePermissions
                    .asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x")));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", server.jdbcUrl(database),
                "quarkus.datasource.username", EmbeddedPostgresServer.USER,
                "drover.data-dir", dataDir.toString());
    }

    @Override
    public void stop() {
        if (dataDir != null) {
            try (var files = Files.walk(dataDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
