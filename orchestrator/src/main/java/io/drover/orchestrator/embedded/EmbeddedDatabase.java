package io.drover.orchestrator.embedded;

import io.drover.persistence.embedded.EmbeddedPostgresServer;
import io.quarkus.runtime.Application;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The one embedded server of this process. A lock file in the data directory keeps a second
 * Drover process from starting on the same data (and from mistaking the first one's server for
 * an orphan to reclaim).
 */
final class EmbeddedDatabase {
    private static final long APPLICATION_STOP_WAIT_MS = 60_000;
    private static EmbeddedPostgresServer server;
    private static FileLock lock;

    private EmbeddedDatabase() {
    }

    static synchronized EmbeddedPostgresServer start(Path root) {
        if (server != null) {
            return server;
        }
        try {
            Files.createDirectories(root);
            FileChannel channel = FileChannel.open(root.resolve("drover.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("another Drover process is using " + root
                        + "; stop it, or give this one its own directory with DROVER_DATA_DIR=/some/dir");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use " + root + " as Drover's data directory", e);
        }
        server = EmbeddedPostgresServer.durable(root.resolve("pgdata"));
        Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedDatabase::stopAfterApplication, "embedded-postgres-stop"));
        return server;
    }

    /**
     * The server goes last: JVM shutdown hooks run side by side, so this one first waits for the
     * application to finish stopping (workers handing back subtasks, schedulers, the connection
     * pool), then stops PostgreSQL.
     */
    private static void stopAfterApplication() {
        Application application = Application.currentApplication();
        if (application != null) {
            Thread waiter = new Thread(application::awaitShutdown, "await-application-stop");
            waiter.setDaemon(true);
            waiter.start();
            try {
                waiter.join(APPLICATION_STOP_WAIT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        stop();
    }

    static synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
