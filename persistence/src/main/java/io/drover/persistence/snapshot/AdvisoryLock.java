package io.drover.persistence.snapshot;

import io.drover.persistence.PersistenceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL session advisory lock per key, excluding every other session of the database:
 * other Drover processes and other threads of this one alike. The lock lives on a connection taken
 * for as long as it is held, so each waiter and each holder costs one pooled connection; callers
 * that expect many waiters in one process queue them in-process first.
 */
public final class AdvisoryLock {
    private static final Logger LOG = LoggerFactory.getLogger(AdvisoryLock.class);
    private static final Executor ABORT_NOW = Runnable::run;

    /** Held until closed; closing twice is harmless. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    private final DataSource dataSource;

    public AdvisoryLock(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Blocks until this caller holds the lock for {@code key}. */
    public Held acquire(String key) {
        Connection c;
        try {
            c = dataSource.getConnection();
            c.setAutoCommit(true);
        } catch (SQLException e) {
            throw new PersistenceException(e);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_lock(hashtextextended(?, 0))")) {
            ps.setString(1, key);
            ps.execute();
        } catch (SQLException e) {
            discard(c, key);
            throw new PersistenceException(e);
        }
        return new Held() {
            private boolean released;

            @Override
            public synchronized void close() {
                if (!released) {
                    released = true;
                    release(c, key);
                }
            }
        };
    }

    private static void release(Connection c, String key) {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(hashtextextended(?, 0))")) {
            ps.setString(1, key);
            ps.execute();
            c.close();
        } catch (SQLException e) {
            // A session lock would outlive its holder on a pooled connection: end the session instead.
            LOG.warn("Could not release the advisory lock for {} ({}); closing its session, which releases it",
                    key, e.getMessage());
            discard(c, key);
        }
    }

    private static void discard(Connection c, String key) {
        try {
            c.abort(ABORT_NOW);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Could not abort the connection of the advisory lock for {}: {}", key, e.getMessage());
        }
    }
}
