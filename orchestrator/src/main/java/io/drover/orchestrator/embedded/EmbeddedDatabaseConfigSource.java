package io.drover.orchestrator.embedded;

import io.drover.persistence.embedded.EmbeddedPostgresServer;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Supplies the datasource URL, user and password of the embedded server, starting it on first
 * use: reading the configuration's names (as the build does) starts nothing; asking for a value
 * (as the datasource does at start-up) does.
 */
final class EmbeddedDatabaseConfigSource implements ConfigSource {
    private static final String URL = "quarkus.datasource.jdbc.url";
    private static final String USER = "quarkus.datasource.username";
    private static final String PASSWORD = "quarkus.datasource.password";

    private final java.nio.file.Path root;
    private volatile EmbeddedPostgresServer server;

    EmbeddedDatabaseConfigSource(java.nio.file.Path root) {
        this.root = root;
    }

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(URL, USER, PASSWORD);
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of(URL, server().jdbcUrl(), USER, EmbeddedPostgresServer.USER, PASSWORD, password());
    }

    @Override
    public String getValue(String name) {
        return switch (name) {
            case URL -> server().jdbcUrl();
            case USER -> EmbeddedPostgresServer.USER;
            case PASSWORD -> password();
            default -> null;
        };
    }

    @Override
    public String getName() {
        return "drover-embedded-postgres";
    }

    /** Below application.properties (250), environment (300) and system properties (400): any of them wins. */
    @Override
    public int getOrdinal() {
        return 100;
    }

    private String password() {
        return server().password().orElseThrow();
    }

    private EmbeddedPostgresServer server() {
        if (server == null) {
            synchronized (this) {
                if (server == null) {
                    server = EmbeddedDatabase.start(root);
                }
            }
        }
        return server;
    }
}
