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

    /** Looks a ready base up; empty when it is not built yet. */
    @FunctionalInterface
    interface Lookup {
        java.util.Optional<BaseSnapshot> find(BaseSpec spec);
    }

    /** Builds a base; called only by the holder of its lock, after a lookup found nothing. */
    @FunctionalInterface
    interface Build {
        BaseSnapshot build(BaseSpec spec) throws SandboxException, InterruptedException;
    }

    /**
     * The base of {@code spec}, built once however many callers ask at once: a ready base is
     * returned without locking; otherwise the caller takes the lock, looks again (another caller
     * may have built it meanwhile) and builds only if it is still missing.
     */
    default BaseSnapshot once(BaseSpec spec, Lookup lookup, Build build) throws SandboxException {
        var ready = lookup.find(spec);
        if (ready.isPresent()) {
            return ready.get();
        }
        try (Held held = acquire(spec.hash())) {
            ready = lookup.find(spec);
            return ready.isPresent() ? ready.get() : build.build(spec);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while waiting for the base " + spec.hash() + " to be built", e);
        }
    }
}
