package io.drover.sandbox.pool;

import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.Command;
import io.drover.sandbox.ExecResult;
import io.drover.sandbox.Execution;
import io.drover.sandbox.Resources;
import io.drover.sandbox.Sandbox;
import io.drover.sandbox.SandboxDriver;
import io.drover.sandbox.SandboxException;
import io.drover.sandbox.SandboxState;
import io.drover.sandbox.Usage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sandboxes of one driver, cloned ahead of demand and parked when idle. A lease takes a warm
 * clone of its base when there is one (resuming it if it stood by), or clones one; a released
 * sandbox is destroyed, so every lease starts from the base's clean state; warm clones are topped
 * up to {@code minWarm} per base in the background; anything idle for its standby window — warm,
 * or leased to an agent that is thinking — is frozen, so it costs storage and no compute.
 */
public final class SandboxPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SandboxPool.class);

    private record Key(String baseHash, Resources resources) {
    }

    private record Warm(Sandbox sandbox, Key key, Instant since) {
    }

    private final SandboxDriver driver;
    private final PoolSettings settings;
    private final Clock clock;
    private final PoolListener listener;
    private final Semaphore room;
    private final Map<Key, Deque<Warm>> warm = new ConcurrentHashMap<>();
    private final Map<Key, BaseSnapshot> bases = new ConcurrentHashMap<>();
    private final Map<String, Lease> leased = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "pool-sweeper"));
    private final ExecutorService filler = Executors.newSingleThreadExecutor(r -> daemon(r, "pool-filler"));

    public SandboxPool(SandboxDriver driver, PoolSettings settings, Clock clock, PoolListener listener) {
        this.driver = driver;
        this.settings = settings;
        this.clock = clock;
        this.listener = listener;
        this.room = new Semaphore(settings.maxSandboxes());
        long every = settings.sweepInterval().toMillis();
        sweeper.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    public SandboxDriver driver() {
        return driver;
    }

    /** A sandbox of {@code base} for its caller alone, until {@link #release}. */
    public Lease lease(BaseSnapshot base, Resources resources, Duration standbyAfter)
            throws SandboxException, InterruptedException {
        long start = System.nanoTime();
        Key key = new Key(base.hash(), resources);
        bases.putIfAbsent(key, base);
        Optional<Warm> ready = takeWarm(key);
        Sandbox sandbox;
        Instant since;
        if (ready.isPresent()) {
            sandbox = ready.get().sandbox();
            since = ready.get().since();
        } else {
            since = clock.instant();
            sandbox = cloneWithRoom(key, base);
        }
        // Read once: what it used before the lease is pool overhead, and its holder is charged the rest.
        Usage atLease = usageAtLease(sandbox);
        Instant now = clock.instant();
        Lease lease = new Lease(sandbox, standbyAfter, now, atLease);
        listener.idled(base.hash(), sandbox.id(), since, now, atLease);
        leased.put(sandbox.id(), lease);
        listener.leased(base.hash(), Duration.ofNanos(System.nanoTime() - start), ready.isPresent());
        filler.execute(() -> topUp(key));
        return lease;
    }

    /** Runs a command in a leased sandbox, resuming it first if it stood by. */
    public Execution exec(Lease lease, Command command) throws SandboxException {
        lease.began(clock.instant());
        try {
            if (lease.state() == SandboxState.STANDBY) {
                resume(lease.sandbox(), lease.sandbox().base().hash());
            }
            Execution execution = driver.exec(lease.sandbox(), command);
            return new Execution() {
                @Override
                public ExecResult await() throws InterruptedException {
                    try {
                        return execution.await();
                    } finally {
                        lease.ended(clock.instant());
                    }
                }

                @Override
                public void kill() {
                    execution.kill();
                }
            };
        } catch (SandboxException | RuntimeException e) {
            lease.ended(clock.instant());
            throw e;
        }
    }

    /** Destroys the sandbox: the next lease of its base gets a clean clone. */
    public void release(Lease lease) {
        if (leased.remove(lease.id()) != null) {
            driver.destroy(lease.sandbox());
            room.release();
        }
    }

    /** The bases of the sandboxes leased now: in use, whatever their last use in the records says. */
    public Set<String> leasedBases() {
        Set<String> hashes = new HashSet<>();
        leased.values().forEach(l -> hashes.add(l.sandbox().base().hash()));
        return hashes;
    }

    /**
     * Lets go of a base before it is deleted: destroys its warm clones (idle ones, whose base has
     * gone unused) and forgets it. Returns false and changes nothing while a sandbox of it is
     * leased. The caller makes sure no new lease of it starts meanwhile (garbage collection marks
     * the base deleted first, and a lease prepares its base, which waits for the collection).
     */
    public boolean retire(String baseHash) {
        if (leasedBases().contains(baseHash)) {
            return false;
        }
        for (Key key : List.copyOf(warm.keySet())) {
            if (key.baseHash().equals(baseHash)) {
                Deque<Warm> queue = warm.remove(key);
                bases.remove(key);
                for (Warm w : queue) {
                    destroyUnused(w);
                    room.release();
                }
            }
        }
        return true;
    }

    /** A warm clone waiting for a lease: since when, and what it has used (standby time included). */
    public record WarmSandbox(String id, String baseHash, Instant since, Usage usage) {
    }

    /** The warm clones of every base, for metering the pool's idle cost. */
    public List<WarmSandbox> warm() {
        List<WarmSandbox> all = new ArrayList<>();
        warm.values().forEach(q -> q.forEach(w -> all.add(new WarmSandbox(w.sandbox().id(), w.key().baseHash(),
                w.since(), driver.usage(w.sandbox())))));
        return all;
    }

    /** Sandboxes by state, over all bases. */
    public Map<SandboxState, Integer> counts() {
        Map<SandboxState, Integer> counts = new EnumMap<>(SandboxState.class);
        for (SandboxState s : SandboxState.values()) {
            counts.put(s, 0);
        }
        warm.values().forEach(q -> q.forEach(w -> counts.merge(w.sandbox().state(), 1, Integer::sum)));
        leased.values().forEach(l -> counts.merge(l.state() == SandboxState.WARM ? SandboxState.ACTIVE : l.state(), 1,
                Integer::sum));
        return counts;
    }

    /** Parks what has been idle for its window: warm clones, and leased sandboxes with nothing running. */
    public int sweep() {
        Instant now = clock.instant();
        int parked = 0;
        for (Deque<Warm> queue : warm.values()) {
            for (Warm w : queue) {
                if (w.sandbox().state() == SandboxState.WARM && w.since().isBefore(now.minus(settings.standbyAfter()))) {
                    parked += park(w.sandbox());
                }
            }
        }
        for (Lease lease : leased.values()) {
            if (lease.state() == SandboxState.WARM && lease.idleSince(now.minus(lease.standbyAfter()))) {
                parked += park(lease.sandbox());
            }
        }
        return parked;
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        filler.shutdownNow();
        List<Warm> idle = new ArrayList<>();
        warm.values().forEach(idle::addAll);
        List<Sandbox> all = new ArrayList<>();
        leased.values().forEach(l -> all.add(l.sandbox()));
        warm.clear();
        leased.clear();
        idle.forEach(this::destroyUnused);
        all.forEach(driver::destroy);
    }

    /** What the sandbox used so far; nothing, if the driver cannot say (its holder is then charged its wait). */
    private Usage usageAtLease(Sandbox sandbox) {
        try {
            return driver.usage(sandbox);
        } catch (RuntimeException e) {
            LOG.warn("Could not read the usage of sandbox {} at its lease: {}; its wait in the pool is charged to its"
                    + " holder", sandbox.id(), e.getMessage());
            return new Usage(Duration.ZERO, Duration.ZERO, Optional.empty(), 0, OptionalLong.empty(),
                    OptionalLong.empty());
        }
    }

    /** Destroys a warm clone that was never leased, telling what it used while it waited. */
    private void destroyUnused(Warm w) {
        Usage usage;
        try {
            usage = driver.usage(w.sandbox());
        } catch (RuntimeException e) {
            LOG.warn("Could not read the usage of warm sandbox {} before destroying it: {}; its idle time is not"
                    + " metered", w.sandbox().id(), e.getMessage());
            driver.destroy(w.sandbox());
            return;
        }
        driver.destroy(w.sandbox());
        listener.idled(w.key().baseHash(), w.sandbox().id(), w.since(), clock.instant(), usage);
    }

    private Optional<Warm> takeWarm(Key key) throws SandboxException {
        Deque<Warm> queue = warm.get(key);
        if (queue == null) {
            return Optional.empty();
        }
        // Prefer a running clone over one in standby: it is ready without a resume.
        for (Warm w : queue) {
            if (w.sandbox().state() == SandboxState.WARM && queue.remove(w)) {
                return Optional.of(w);
            }
        }
        Warm parked = queue.pollFirst();
        if (parked == null) {
            return Optional.empty();
        }
        resume(parked.sandbox(), key.baseHash());
        return Optional.of(parked);
    }

    private Sandbox cloneWithRoom(Key key, BaseSnapshot base) throws SandboxException, InterruptedException {
        while (!room.tryAcquire(50, TimeUnit.MILLISECONDS)) {
            evictWarmOtherThan(key);
        }
        try {
            long start = System.nanoTime();
            Sandbox sandbox = driver.clone(base, key.resources());
            listener.cloned(key.baseHash(), Duration.ofNanos(System.nanoTime() - start));
            return sandbox;
        } catch (SandboxException | RuntimeException e) {
            room.release();
            throw e;
        }
    }

    /** At the cap, a warm clone of another base gives way to a lease that needs room. */
    private void evictWarmOtherThan(Key key) {
        for (Map.Entry<Key, Deque<Warm>> e : warm.entrySet()) {
            if (!e.getKey().equals(key)) {
                Warm victim = e.getValue().pollLast();
                if (victim != null) {
                    destroyUnused(victim);
                    room.release();
                    return;
                }
            }
        }
    }

    private void topUp(Key key) {
        Deque<Warm> queue = warm.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>());
        while (queue.size() < Math.min(settings.minWarm(), settings.maxWarm()) && room.tryAcquire()) {
            try {
                long start = System.nanoTime();
                Sandbox sandbox = driver.clone(bases.get(key), key.resources());
                listener.cloned(key.baseHash(), Duration.ofNanos(System.nanoTime() - start));
                queue.addLast(new Warm(sandbox, key, clock.instant()));
            } catch (SandboxException | RuntimeException e) {
                room.release();
                LOG.warn("Could not clone a warm sandbox of base {}: {}; the next lease clones on demand",
                        key.baseHash(), e.getMessage());
                return;
            }
        }
    }

    private void resume(Sandbox sandbox, String baseHash) throws SandboxException {
        long start = System.nanoTime();
        driver.resume(sandbox);
        listener.resumed(baseHash, Duration.ofNanos(System.nanoTime() - start));
    }

    private int park(Sandbox sandbox) {
        try {
            driver.standby(sandbox);
            return 1;
        } catch (SandboxException | RuntimeException e) {
            LOG.warn("Could not put sandbox {} in standby: {}", sandbox.id(), e.getMessage());
            return 0;
        }
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warn("Pool sweep failed: {}", e.getMessage());
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
