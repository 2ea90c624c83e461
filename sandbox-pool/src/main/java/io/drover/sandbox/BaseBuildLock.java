package io.drover.sandbox;

/**
 * Serializes base builds per {@link BaseSpec#hash()}, so that one setup runs while other callers
 * wait for its result. The default excludes threads of this process ({@link InProcessBaseBuildLock});
 * an application running several Drover processes on shared storage plugs in a cross-process lock
 * (a PostgreSQL advisory lock keyed by the hash), which must exclude other threads of its own process too.
 */
public interface BaseBuildLock {

    /** Blocks until this caller holds the lock for {@code hash}. */
    Held acquire(String hash) throws InterruptedException, SandboxException;

    interface Held extends AutoCloseable {
        @Override
        void close();
    }
}
