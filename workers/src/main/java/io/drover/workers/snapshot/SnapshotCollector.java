package io.drover.workers.snapshot;

import io.drover.persistence.snapshot.BaseCopyStore;
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
 * Deletes this node's copies of bases that nobody on this node has used for {@code gcAfter}; other
 * nodes' copies are theirs to collect, by their own use. Every Drover worker process runs one; each
 * pass first marks the copies its own leased sandboxes use as used now (so no process of the node
 * collects a copy that another one has lent out, however long ago it was prepared), then drops its
 * own warm clones of copies idle for half of {@code gcAfter} (so that no warm clone still sits on
 * a copy when one deletes it), then deletes what has been idle for the whole window. A copy is
 * deleted only under the node's build lock for it (never while it is built or fetched), only once
 * its row has been claimed in one conditional update (never after a use that came first), and only
 * when this process's pool holds no lease of it. When a base's last copy goes, its row stays,
 * summarized DELETED, with its priced builds and its users.
 */
public final class SnapshotCollector {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotCollector.class);

    /** A base deleted by one pass. */
    public record Collected(String driver, String hash, long bytesFreed) {
    }

    private final Pools pools;
    private final BaseCopyStore store;
    private final BaseBuildLock buildLock;
    private final String node;
    private final Clock clock;
    private final Duration gcAfter;

    /** @param buildLock this node's build lock (the one its drivers' copies are made under) */
    public SnapshotCollector(Pools pools, BaseCopyStore store, BaseBuildLock buildLock, String node, Clock clock,
            Duration gcAfter) {
        this.pools = pools;
        this.store = store;
        this.buildLock = buildLock;
        this.node = node;
        this.clock = clock;
        this.gcAfter = gcAfter;
    }

    /** One pass over every driver's bases; returns what it deleted. */
    public List<Collected> collect() throws InterruptedException {
        Instant now = clock.instant();
        Map<String, SandboxPool> all = pools.all();
        all.values().forEach(pool -> store.touchAll(node, pool.leasedBases(), now));
        List<Collected> collected = new ArrayList<>();
        for (Map.Entry<String, SandboxPool> e : all.entrySet()) {
            SandboxPool pool = e.getValue();
            store.idleSince(node, e.getKey(), now.minus(gcAfter.dividedBy(2))).forEach(pool::retire);
            Instant cutoff = now.minus(gcAfter);
            for (String hash : store.idleSince(node, e.getKey(), cutoff)) {
                collectOne(e.getKey(), pool, hash, cutoff, now).ifPresent(collected::add);
            }
        }
        return collected;
    }

    private Optional<Collected> collectOne(String driver, SandboxPool pool, String hash, Instant cutoff,
            Instant now) throws InterruptedException {
        try (BaseBuildLock.Held held = buildLock.acquire(hash)) {
            if (!store.claimForDeletion(hash, node, cutoff, now)) {
                return Optional.empty(); // used meanwhile, or another process collected it
            }
            if (!pool.retire(hash)) {
                store.unclaim(hash, node);
                LOG.info("Base {} kept: idle in the records but leased here; it is marked used at the next pass", hash);
                return Optional.empty();
            }
            long freed = pool.driver().deleteBase(hash);
            LOG.info("Base {} of driver {} deleted from node {} after {} unused there: {} bytes freed; the next job"
                    + " that needs it on this node fetches it from a peer or runs its setup again", hash, driver, node,
                    gcAfter, freed);
            return Optional.of(new Collected(driver, hash, freed));
        } catch (SandboxException | RuntimeException e) {
            LOG.warn("Could not collect base {}: {}; the next pass tries again, and if it was already marked"
                    + " deleted, the next job that needs it finds it on disk or builds it again", hash, e.getMessage());
            return Optional.empty();
        }
    }
}
