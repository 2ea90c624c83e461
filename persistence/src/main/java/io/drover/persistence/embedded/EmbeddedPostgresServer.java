package io.drover.persistence.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server run from the binaries bundled on the classpath: Drover's default
 * database on one machine, and the database of every test.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";

    private final EmbeddedPostgres postgres;
    private final String password;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, String password) {
        this.postgres = postgres;
        this.password = password;
    }

    /**
     * Starts a durable server whose data survives restarts in {@code dataDirectory}. The bundled
     * server turns fsync and synchronous commit off by default; they are turned back on here, or a
     * power cut could lose jobs that were acknowledged as submitted. Every connection must give the
     * password kept in {@link #passwordFile(Path) <data directory>.password}, made at the first start.
     */
    public static EmbeddedPostgresServer durable(Path dataDirectory) {
        return durable(dataDirectory, 0);
    }

    /** As {@link #durable(Path)}, on a fixed port (0: any free port), e.g. to restart a server where clients expect it. */
    public static EmbeddedPostgresServer durable(Path dataDirectory, int port) {
        try {
            Files.createDirectories(dataDirectory);
            StalePostmaster.stopIfRunning(dataDirectory);
            Path passwordFile = passwordFile(dataDirectory);
            String password = PasswordAuthentication.password(passwordFile, dataDirectory);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false) // the application stops it, after its workers are done
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("max_connections", "200")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setConnectConfig("password", password)
                    .setPort(port)
                    .start();
            try {
                PasswordAuthentication.require(dataDirectory, passwordFile, postgres.getPostgresDatabase(), password);
            } catch (SQLException e) {
                closeAfterFailure(postgres, e);
                throw new IllegalStateException(PasswordAuthentication.refusal(dataDirectory, passwordFile,
                        e.getMessage()), e);
            }
            LOG.info("Embedded PostgreSQL is listening on 127.0.0.1:{} with its data in {}; connections give the"
                    + " password in {}", postgres.getPort(), dataDirectory, passwordFile);
            return new EmbeddedPostgresServer(postgres, password);
        } catch (IOException e) {
            if (refusedPassword(e)) {
                throw new IllegalStateException(PasswordAuthentication.refusal(dataDirectory,
                        passwordFile(dataDirectory), "password authentication failed"), e);
            }
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dataDirectory
                    + "; set quarkus.datasource.jdbc.url to use an external server instead", e);
        }
    }

    /** The server's start-up wait logs in, so a wrong password shows as a start that never finished. */
    private static boolean refusedPassword(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("password authentication failed")) {
                return true;
            }
        }
        return false;
    }

    private static void closeAfterFailure(EmbeddedPostgres postgres, Exception failure) {
        try {
            postgres.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /** Where the password of the durable server on {@code dataDirectory} is kept: beside it, mode 0600. */
    public static Path passwordFile(Path dataDirectory) {
        return dataDirectory.resolveSibling(dataDirectory.getFileName() + ".password");
    }

    /** Starts a throwaway server for tests; its data directory is removed when it stops. */
    public static EmbeddedPostgresServer ephemeral() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "300")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
            return new EmbeddedPostgresServer(postgres, null);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start an embedded PostgreSQL", e);
        }
    }

    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    public String jdbcUrl(String database) {
        return postgres.getJdbcUrl(USER, database);
    }

    /** The password connections give; empty for a test's throwaway server, which trusts local connections. */
    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    public int port() {
        return postgres.getPort();
    }

    public DataSource dataSource(String database) {
        return postgres.getDatabase(USER, database);
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
    }
}
