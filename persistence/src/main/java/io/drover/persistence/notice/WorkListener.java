package io.drover.persistence.notice;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears, on one connection of its own, the notices PostgreSQL sends when subtasks become ready
 * (migration V10), and tells {@code onWork}: a worker learns of work submitted on any process at
 * once, with its poll left as the fallback. A lost connection is opened again; since notices sent
 * meanwhile are lost, {@code onWork} is told once it is back.
 */
public final class WorkListener implements AutoCloseable {
    public static final String CHANNEL = "drover_work";
    private static final Logger LOG = LoggerFactory.getLogger(WorkListener.class);
    private static final int WAIT_MS = 1_000;

    private final DataSource dataSource;
    private final Runnable onWork;
    private final Duration retryAfter;
    private final Thread thread;
    private volatile boolean closed;
    private volatile boolean listening;
    private volatile Connection connection;

    public WorkListener(DataSource dataSource, Runnable onWork, Duration retryAfter) {
        this.dataSource = dataSource;
        this.onWork = onWork;
        this.retryAfter = retryAfter;
        this.thread = new Thread(this::listen, "work-listener");
        this.thread.setDaemon(true);
    }

    public WorkListener start() {
        thread.start();
        return this;
    }

    private void listen() {
        boolean lost = false;
        while (!closed) {
            try (Connection c = dataSource.getConnection()) {
                connection = c;
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                listening = true;
                if (lost) {
                    LOG.info("Listening for work notices again; looking for work sent meanwhile");
                    tell();
                    lost = false;
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] notices = pg.getNotifications(WAIT_MS);
                    if (notices != null && notices.length > 0) {
                        tell();
                    }
                }
            } catch (SQLException e) {
                if (closed) {
                    return;
                }
                if (!lost) {
                    LOG.warn("Lost the connection that listens for work notices ({}); until it is back, work from"
                            + " other processes is found by the poll. Trying again every {} s", e.getMessage(),
                            retryAfter.toSeconds());
                }
                lost = true;
                sleep();
            } finally {
                listening = false;
                connection = null;
            }
        }
    }

    /** A wake-up that fails (the process is stopping) is no reason to drop the connection. */
    private void tell() {
        try {
            onWork.run();
        } catch (RuntimeException e) {
            LOG.debug("A work notice could not be passed on: {}", e.toString());
        }
    }

    /** Whether notices reach this listener now. */
    public boolean listening() {
        return listening;
    }

    private void sleep() {
        try {
            Thread.sleep(retryAfter.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
