package io.drover.orchestrator.sandbox;

import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.Command;
import io.drover.sandbox.ExecResult;
import io.drover.sandbox.Execution;
import io.drover.sandbox.Resources;
import io.drover.sandbox.SandboxException;
import io.drover.sandbox.pool.Lease;
import io.drover.sandbox.pool.SandboxPool;
import io.drover.workers.sandbox.Pools;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sandboxes lent to callers outside a job (agents that use a sandbox for their tool calls), each
 * guarded by its own bearer token. They stand by when idle and resume on the next exec.
 */
public final class SandboxSessions implements AutoCloseable {

    /**
     * An open sandbox; {@code token} is shown once, when it is opened. A {@code lent} sandbox is an
     * attempt's, lent to its agent: the attempt, not the session, releases it. A sandbox with an
     * {@code expires} instant (a failed attempt's, kept for inspection) is closed then.
     */
    public record Session(String id, String token, String driver, Lease lease, SandboxPool pool, Instant opened,
            boolean lent, Instant expires) {
    }

    private final Pools pools;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> open = new ConcurrentHashMap<>();

    public SandboxSessions(Pools pools, Clock clock) {
        this.pools = pools;
        this.clock = clock;
    }

    public Session open(String driver, BaseSpec base, Resources resources, Duration standbyAfter)
            throws SandboxException, InterruptedException {
        SandboxPool pool = pools.get(driver);
        BaseSnapshot snapshot = pool.driver().prepareBase(base);
        Lease lease = pool.lease(snapshot, resources, standbyAfter);
        Session session = new Session(lease.id(), newToken(), driver, lease, pool, clock.instant(), false, null);
        open.put(session.id(), session);
        return session;
    }

    /**
     * Lends a sandbox an attempt has leased to the exec API under a new token (an agent's tool
     * calls). {@link #close(Session)} then only ends the access: the attempt releases the lease.
     */
    public Session lend(String driver, SandboxPool pool, Lease lease) {
        Session session = new Session(lease.id(), newToken(), driver, lease, pool, clock.instant(), true, null);
        if (open.putIfAbsent(session.id(), session) != null) {
            throw new IllegalStateException("sandbox " + lease.id() + " is already open in the exec API");
        }
        return session;
    }

    /**
     * Takes over a sandbox a failed attempt leased, until {@code expires} (then, or when deleted,
     * it is released); empty when {@code maxKept} sandboxes are kept already.
     */
    public synchronized Optional<Session> keep(String driver, SandboxPool pool, Lease lease, Instant expires,
            int maxKept) {
        if (open.values().stream().filter(s -> s.expires() != null).count() >= maxKept) {
            return Optional.empty();
        }
        Session session = new Session(lease.id(), newToken(), driver, lease, pool, clock.instant(), false, expires);
        open.put(session.id(), session);
        return Optional.of(session);
    }

    /** Closes the kept sandboxes whose time is up; returns how many. */
    public int expire() {
        Instant now = clock.instant();
        int closed = 0;
        for (Session s : open.values()) {
            if (s.expires() != null && !now.isBefore(s.expires())) {
                close(s);
                closed++;
            }
        }
        return closed;
    }

    /** The open session whose token this is (the LLM gateway accepts exec-API tokens too). */
    public Optional<Session> withToken(String token) {
        if (token == null) {
            return Optional.empty();
        }
        byte[] given = token.getBytes(StandardCharsets.UTF_8);
        return open.values().stream()
                .filter(s -> MessageDigest.isEqual(s.token().getBytes(StandardCharsets.UTF_8), given)).findFirst();
    }

    private String newToken() {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** The session, if it exists and {@code token} is its token. */
    public Optional<Session> authorized(String id, String token) {
        Session session = open.get(id);
        if (session == null || token == null || !MessageDigest.isEqual(
                session.token().getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        return Optional.of(session);
    }

    public boolean exists(String id) {
        return open.containsKey(id);
    }

    public ExecResult exec(Session session, Command command) throws SandboxException, InterruptedException {
        return start(session, command).await();
    }

    /** Starts {@code command}; the caller awaits (or kills) it. */
    public Execution start(Session session, Command command) throws SandboxException {
        return session.pool().exec(session.lease(), command);
    }

    public void close(Session session) {
        if (open.remove(session.id(), session) && !session.lent()) {
            session.pool().release(session.lease());
        }
    }

    @Override
    public void close() {
        open.values().forEach(this::close);
    }
}
