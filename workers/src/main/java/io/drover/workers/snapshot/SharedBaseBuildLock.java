package io.drover.workers.snapshot;

import io.drover.persistence.PersistenceException;
import io.drover.persistence.snapshot.AdvisoryLock;
import io.drover.sandbox.BaseBuildLock;
import io.drover.sandbox.InProcessBaseBuildLock;
import io.drover.sandbox.SandboxException;

/**
 * A base build lock per node: a PostgreSQL advisory lock keyed by the base hash and this node's
 * name, so that the processes sharing one node's data dir build a base once, while other nodes
 * build (or fetch) their own copies at the same time and never wait on this one. Threads of this
 * process queue in-process first, so that one base costs one database connection per process
 * however many subtasks wait for it.
 */
public final class SharedBaseBuildLock implements BaseBuildLock {
    private final BaseBuildLock local = new InProcessBaseBuildLock();
    private final AdvisoryLock database;
    private final String node;

    public SharedBaseBuildLock(AdvisoryLock database, String node) {
        this.database = database;
        this.node = node;
    }

    @Override
    public Held acquire(String hash) throws InterruptedException, SandboxException {
        Held here = local.acquire(hash);
        try {
            AdvisoryLock.Held everywhere = database.acquire("drover-base:" + hash + "@" + node);
            return () -> {
                try {
                    everywhere.close();
                } finally {
                    here.close();
                }
            };
        } catch (PersistenceException e) {
            here.close();
            throw new SandboxException("could not take the build lock of base " + hash + " on node " + node
                    + " in the database: "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            here.close();
            throw e;
        }
    }
}
