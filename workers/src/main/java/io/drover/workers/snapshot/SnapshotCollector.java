package io.drover.workers.snapshot;

import io.drover.persistence.snapshot.BaseSnapshotStore;
import io.drover.sandbox.BaseBuildLock;
import io.drover.sandbox.SandboxException;
import io.drover.sandbox.pool.SandboxPool;
import io.drover.workers.sandbox.Pools;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes bases nobody has used for {@code gcAfter}. Every Drover process on the database runs
 * one; each pass first marks the bases its own leased sandboxes use as used now (so no process
 * collects a base that another one has lent out, however long ago it was prepared), then drops its
 * own warm clones of bases idle for half of {@code gcAfter} (so that no process's warm clone still
 * sits on a base when one deletes it), then deletes what has been idle for the whole window.
 * A base is deleted only under its build lock (never while it is built), only once its row has
 * been claimed in one conditional update (never after a use that came first), and only when this
 * process's pool holds no lease of it.
 */
public final class SnapshotCollector {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotCollector.class);

    /** A base deleted by one pass. */
    public record Collected(String driver, String hash, long bytesFreed) {
    }

    private final Pools pools;
    private final BaseSnapshotStore store;
    private final BaseBuildLock buildLock;
    private final Clock clock;
    private final Duration gcAfter;

    public SnapshotCollector(Pools pools, BaseSnapshotStore store, BaseBuildLock buildLock, Clock clock,
            Duration gcAfter) {
        this.pools = pools;
        this.store = store;
        this.buildLock = buildLock;
        this.clock = clock;
        this.gcAfter = gcAfter;
    }

    /** One pass over every driver's bases; returns what it deleted. */
    public List<Collected> collect() throws InterruptedException {
        Instant now = clock.instant();
        Map<String, SandboxPool> all = pools.all();
        all.values().forEach(pool -> store.touchAll(pool.leasedBases(), now));
        List<Collected> collected = new ArrayList<>();
        for (Map.Entry<String, SandboxPool> e : all.entrySet()) {
            SandboxPool pool = e.getValue();
            store.idleSince(e.getKey(), now.minus(gcAfter.dividedBy(2))).forEach(pool::retire);
            Instant cutoff = now.minus(gcAfter);
            for (String hash : store.idleSince(e.getKey(), cutoff)) {
                collectOne(e.getKey(), pool, hash, cutoff, now).ifPresent(collected::add);
            }
        }
        return collected;
    }

    private Optional<Collected> collectOne(String driver, SandboxPool pool, String hash, Instant cutoff,
            Instant now) throws InterruptedException {
        try (BaseBuildLock.Held held = buildLock.acquire(hash)) {
            if (!store.claimForDeletion(hash, cutoff, now)) {
                return Optional.empty(); // used meanwhile, or another process collected it
            }
            if (!pool.retire(hash)) {
                store.unclaim(hash);
                LOG.info("Base {} kept: idle in the records but leased here; it is marked used at the next pass", hash);
                return Optional.empty();
            }
            long freed = pool.driver().deleteBase(hash);
            LOG.info("Base {} of driver {} deleted after {} unused: {} bytes freed; the next job that needs it runs"
                    + " its setup again", hash, driver, gcAfter, freed);
            return Optional.of(new Collected(driver, hash, freed));
        } catch (SandboxException | RuntimeException e) {
            LOG.warn("Could not collect base {}: {}; the next pass tries again, and if it was already marked"
                    + " deleted, the next job that needs it finds it on disk or builds it again", hash, e.getMessage());
            return Optional.empty();
        }
    }
}
