package io.drover.orchestrator.sandbox;

import io.drover.sandbox.pool.Lease;
import io.drover.sandbox.pool.SandboxPool;
import io.drover.workers.sandbox.SandboxKeeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps failed attempts' sandboxes in the exec API ({@code /api/v1/sandboxes/{id}}) for their
 * task's {@code keepOnFailure} window, at most {@code maxKept} at once: each one holds a place in
 * its pool, so an unbounded number of failures must not starve the subtasks still to run.
 */
public final class KeptSandboxes implements SandboxKeeper {
    private static final Logger LOG = LoggerFactory.getLogger(KeptSandboxes.class);

    private final SandboxSessions sessions;
    private final Supplier<String> apiUrl;
    private final Clock clock;
    private final int maxKept;

    /** @param apiUrl Drover's API as this host reaches it, e.g. {@code http://127.0.0.1:8080} */
    public KeptSandboxes(SandboxSessions sessions, Supplier<String> apiUrl, Clock clock, int maxKept) {
        this.sessions = sessions;
        this.apiUrl = apiUrl;
        this.clock = clock;
        this.maxKept = maxKept;
    }

    @Override
    public Optional<Kept> keep(String driver, SandboxPool pool, Lease lease, Duration keepFor) {
        Instant until = clock.instant().plus(keepFor);
        Optional<SandboxSessions.Session> session = sessions.keep(driver, pool, lease, until, maxKept);
        if (session.isEmpty()) {
            LOG.info("Sandbox {} of a failed attempt is not kept: {} sandboxes are kept already "
                    + "(drover.sandbox.max-kept)", lease.id(), maxKept);
        }
        return session.map(s -> new Kept(apiUrl.get() + "/api/v1/sandboxes/" + s.id(), s.token(), until));
    }
}
