package io.drover.orchestrator.embedded;

import io.drover.persistence.embedded.EmbeddedPostgresServer;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Supplies the datasource URL of the embedded server, starting it on first use: reading the
 * configuration's names (as the build does) starts nothing; asking for the URL (as the datasource
 * does at start-up) does.
 */
final class EmbeddedDatabaseConfigSource implements ConfigSource {
    private static final String URL = "quarkus.datasource.jdbc.url";
    private static final String USER = "quarkus.datasource.username";

    private final java.nio.file.Path root;
    private volatile String url;

    EmbeddedDatabaseConfigSource(java.nio.file.Path root) {
        this.root = root;
    }

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(URL, USER);
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of(URL, url(), USER, EmbeddedPostgresServer.USER);
    }

    @Override
    public String getValue(String name) {
        if (URL.equals(name)) {
            return url();
        }
        return USER.equals(name) ? EmbeddedPostgresServer.USER : null;
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

    private String url() {
        if (url == null) {
            synchronized (this) {
                if (url == null) {
                    url = EmbeddedDatabase.start(root).jdbcUrl();
                }
            }
        }
        return url;
    }
}
