package io.drover.workers.sandbox;

import io.drover.sandbox.pool.Lease;
import io.drover.sandbox.pool.SandboxPool;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Keeps a failed attempt's sandbox for inspection ({@code spec.sandbox.keepOnFailure}): it takes
 * the lease over, serves it through the exec API under a token of its own, and releases it when
 * the time is up or someone deletes it.
 */
@FunctionalInterface
public interface SandboxKeeper {

    /** Where the kept sandbox answers, with what token, until when. */
    record Kept(String url, String token, Instant until) {
    }

    /**
     * Takes the lease over for {@code keepFor}; empty when it was not kept (too many are kept
     * already), in which case the caller still owns the lease and releases it.
     */
    Optional<Kept> keep(String driver, SandboxPool pool, Lease lease, Duration keepFor);

    /** Keeps nothing. */
    SandboxKeeper NONE = (driver, pool, lease, keepFor) -> Optional.empty();
}
