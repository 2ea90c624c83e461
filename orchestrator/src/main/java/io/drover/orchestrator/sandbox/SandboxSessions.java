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
import io.drover.persistence.sandbox.NewSandbox;
import io.drover.persistence.sandbox.SandboxKind;
import io.drover.persistence.sandbox.SandboxRecord;
import io.drover.persistence.sandbox.SandboxStore;
import io.drover.workers.llm.GatewayTokens;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sandboxes lent to callers outside a job (agents that use a sandbox for their tool calls), each
 * guarded by its own bearer token. They stand by when idle and resume on the next exec. Each is
 * recorded in the sandbox table with this process as its owner and its token's SHA-256, so that
 * every replica can check the token and forward to this process (see {@code SandboxAccess}).
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

    private static final Logger LOG = LoggerFactory.getLogger(SandboxSessions.class);

    private final Pools pools;
    private final SandboxStore store;
    private final String owner;
    private final Clock clock;
    private final Map<String, Session> open = new ConcurrentHashMap<>();

    /** @param owner this process's instance id, recorded as the owner of its sandboxes */
    public SandboxSessions(Pools pools, SandboxStore store, String owner, Clock clock) {
        this.pools = pools;
        this.store = store;
        this.owner = owner;
        this.clock = clock;
    }

    public Session open(String driver, BaseSpec base, Resources resources, Duration standbyAfter)
            throws SandboxException, InterruptedException {
        SandboxPool pool = pools.get(driver);
        BaseSnapshot snapshot = pool.driver().prepareBase(base);
        Lease lease = pool.lease(snapshot, resources, standbyAfter);
        Session session = new Session(lease.id(), GatewayTokens.newToken(), driver, lease, pool, clock.instant(),
                false, null);
        try {
            record(session, SandboxKind.OPEN);
        } catch (RuntimeException e) {
            pool.release(lease);
            throw e;
        }
        open.put(session.id(), session);
        return session;
    }

    /**
     * Lends a sandbox an attempt has leased to the exec API under a new token (an agent's tool
     * calls). {@link #close(Session)} then only ends the access: the attempt releases the lease.
     */
    public Session lend(String driver, SandboxPool pool, Lease lease) {
        Session session = new Session(lease.id(), GatewayTokens.newToken(), driver, lease, pool, clock.instant(),
                true, null);
        if (open.putIfAbsent(session.id(), session) != null) {
            throw new IllegalStateException("sandbox " + lease.id() + " is already open in the exec API");
        }
        try {
            record(session, SandboxKind.LENT);
        } catch (RuntimeException e) {
            open.remove(session.id(), session);
            throw e;
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
        Session session = new Session(lease.id(), GatewayTokens.newToken(), driver, lease, pool, clock.instant(),
                false, expires);
        record(session, SandboxKind.KEPT);
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

    /**
     * The id of the open sandbox, on any instance, whose token this is (the LLM gateway accepts
     * exec-API tokens too); found by the token's SHA-256 in the sandbox table.
     */
    public Optional<String> sandboxWithToken(String token) {
        if (token == null) {
            return Optional.empty();
        }
        return store.withToken(GatewayTokens.sha256(token)).map(SandboxRecord::id);
    }

    /** What the sandbox table says of a sandbox that may live in another process. */
    public Optional<SandboxRecord> recorded(String id) {
        return store.find(id);
    }

    /** Writes the state this process sees the sandbox in, for the others to show. */
    public void seen(Session session) {
        store.seen(session.id(), session.lease().state().name());
    }

    private void record(Session s, SandboxKind kind) {
        store.record(new NewSandbox(s.id(), owner, s.driver(), s.lease().sandbox().base().hash(), kind,
                GatewayTokens.sha256(s.token()), s.lease().state().name(), s.expires(),
                s.lease().sandbox().base().spec().tenant()));
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
        if (!open.remove(session.id(), session)) {
            return;
        }
        if (!session.lent()) {
            session.pool().release(session.lease());
        }
        try {
            store.close(session.id());
        } catch (RuntimeException e) {
            LOG.warn("Sandbox {} is closed but its row could not be marked so ({}); other replicas still forward to"
                    + " this instance, which answers 404 for it", session.id(), e.toString());
        }
    }

    @Override
    public void close() {
        open.values().forEach(this::close);
    }
}
