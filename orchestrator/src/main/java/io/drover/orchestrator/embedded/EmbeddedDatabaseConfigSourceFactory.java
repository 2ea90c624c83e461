package io.drover.orchestrator.embedded;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Drover's default database: when no {@code quarkus.datasource.jdbc.url} is configured, an
 * embedded PostgreSQL is started in {@code ${drover.data-dir}/pgdata} and its URL supplied.
 * The test profile brings its own server.
 */
public class EmbeddedDatabaseConfigSourceFactory implements ConfigSourceFactory {

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!isPackagedRuntime() || configured(context, "quarkus.datasource.jdbc.url") || context.getProfiles().contains("test")
                || "false".equals(value(context, "drover.embedded-postgres.enabled"))) {
            return List.of();
        }
        String dataDir = value(context, "drover.data-dir");
        Path root = dataDir == null || dataDir.contains("${")
                ? Path.of(System.getProperty("user.home"), ".drover") : Path.of(dataDir);
        return List.of(new EmbeddedDatabaseConfigSource(root));
    }

    /**
     * Quarkus also builds its configuration while packaging the application, and records the
     * runtime values it reads then as defaults: a server started at build time would be baked into
     * the package. Only the packaged application's own class loader means "running for real".
     */
    private boolean isPackagedRuntime() {
        return getClass().getClassLoader().getClass().getName().equals("io.quarkus.bootstrap.runner.RunnerClassLoader");
    }

    private static boolean configured(ConfigSourceContext context, String name) {
        String v = value(context, name);
        return v != null && !v.isBlank();
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue v = context.getValue(name);
        return v == null ? null : v.getValue();
    }
}
