package io.drover.orchestrator.embedded;

import io.drover.persistence.embedded.EmbeddedPostgresServer;
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
    private static EmbeddedPostgresServer server;
    private static FileLock lock;
    /** Once the application has started, its shutdown (not a JVM hook racing it) stops the server. */
    private static volatile boolean stoppedByApplication;

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
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!stoppedByApplication) {
                stop();
            }
        }, "embedded-postgres-stop"));
        return server;
    }

    static void handOverToApplication() {
        stoppedByApplication = true;
    }

    static synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
