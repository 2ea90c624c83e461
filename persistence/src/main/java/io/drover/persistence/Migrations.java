package io.drover.persistence;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** Applies Drover's Flyway migrations (classpath:db/migration) outside Quarkus, e.g. in tests. */
public final class Migrations {
    private Migrations() {
    }

    public static void migrate(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }
}
