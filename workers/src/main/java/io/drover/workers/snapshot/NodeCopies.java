package io.drover.workers.snapshot;

import io.drover.persistence.snapshot.BaseCopy;
import io.drover.persistence.snapshot.CopyReady;
import io.drover.persistence.snapshot.SnapshotState;
import io.drover.sandbox.BaseBuildLock;
import io.drover.sandbox.BaseLayers;
import io.drover.sandbox.BaseSetupFailed;
import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.SandboxDriver;
import io.drover.sandbox.SandboxException;
import io.drover.workers.cost.SetupMeter;
import java.time.Instant;
import java.util.Optional;

/**
 * Makes this node's copy of a base, once per node: under the node's build lock, a copy is found on
 * the node's disk (a base of an older version is adopted), fetched from a peer node, or built, in
 * that order; each is recorded in {@code base_copy}, and each build or fetch is priced. Other
 * nodes hold their own locks, so they build or fetch at the same time and never wait on this one.
 */
final class NodeCopies {
    private final SandboxDriver driver;
    private final BaseRecording r;
    private final SetupMeter setupMeter;

    /** @param setupMeter prices each copy this node makes; null to price none */
    NodeCopies(SandboxDriver driver, BaseRecording recording, SetupMeter setupMeter) {
        this.driver = driver;
        this.r = recording;
        this.setupMeter = setupMeter;
    }

    /** This node's copy of {@code spec}'s base, which its records do not show READY. */
    BaseSnapshot provide(BaseSpec spec, String specJson) throws SandboxException {
        String hash = spec.hash();
        // Also waits for this node's collector, which holds the lock while it deletes the base.
        try (BaseBuildLock.Held held = r.lock().acquire(hash)) {
            if (r.copies().find(hash, r.node()).map(BaseCopy::state).orElse(null) == SnapshotState.READY) {
                return driver.prepareBase(spec); // another thread or process of this node made it meanwhile
            }
            r.copies().building(hash, driver.name(), specJson, r.node(), r.builder(), r.clock().instant());
            Optional<BaseLayers> layers = driver.layers();
            Optional<BaseSnapshot> onDisk = layers.flatMap(l -> l.find(spec));
            if (onDisk.isPresent()) {
                return found(onDisk.get(), layers.get());
            }
            if (layers.isPresent() && r.peers().isPresent()) {
                Optional<PeerFetch.Fetched> fetched = r.peers().get().fetch(spec, layers.get());
                if (fetched.isPresent()) {
                    return fetched(fetched.get());
                }
            }
            return build(spec, layers);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while waiting for node " + r.node() + "'s build of base " + hash, e);
        }
    }

    /**
     * On disk but not READY in this node's records: a base of a version that kept no copies per
     * node (adopted with its priced build), or one whose record was lost (priced as a build).
     */
    private BaseSnapshot found(BaseSnapshot base, BaseLayers layers) throws SandboxException {
        boolean adopted = r.copies().adoptLegacy(base.hash(), r.node());
        Instant now = r.clock().instant();
        boolean recorded = r.copies().ready(new CopyReady(base.hash(), r.node(), base.location().toString(),
                base.sizeBytes(), layers.contentHash(base.hash()), base.buildTime().toMillis(), null, r.builder()), now);
        if (recorded && !adopted && setupMeter != null) {
            r.copies().priced(setupMeter.price(driver.name(), base, now, r.node()));
        }
        return base;
    }

    private BaseSnapshot fetched(PeerFetch.Fetched f) {
        BaseSnapshot base = f.base();
        Instant now = r.clock().instant();
        boolean recorded = r.copies().ready(new CopyReady(base.hash(), r.node(), base.location().toString(),
                base.sizeBytes(), f.contentHash(), f.took().toMillis(), f.from(), r.builder()), now);
        if (recorded && setupMeter != null) {
            r.copies().priced(setupMeter.fetched(driver.name(), base, now, r.node(), f.from()));
        }
        return base;
    }

    private BaseSnapshot build(BaseSpec spec, Optional<BaseLayers> layers) throws SandboxException {
        BaseSnapshot base;
        try {
            base = driver.prepareBase(spec);
        } catch (BaseSetupFailed e) {
            r.copies().failed(spec.hash(), r.node(), r.builder(), "exit code " + e.exitCode() + "\n" + e.logTail(),
                    r.clock().instant());
            throw e;
        } catch (SandboxException | RuntimeException e) {
            r.copies().failed(spec.hash(), r.node(), r.builder(), e.getMessage(), r.clock().instant());
            throw e;
        }
        String contentHash = layers.isPresent() ? layers.get().contentHash(spec.hash()) : null;
        Instant now = r.clock().instant();
        boolean recorded = r.copies().ready(new CopyReady(spec.hash(), r.node(), base.location().toString(),
                base.sizeBytes(), contentHash, base.buildTime().toMillis(), null, r.builder()), now);
        // Only the caller that made this node's copy READY prices it: each node's setup is paid once.
        if (recorded && setupMeter != null) {
            r.copies().priced(setupMeter.price(driver.name(), base, now, r.node()));
        }
        return base;
    }
}
