package io.drover.orchestrator.config;

import io.drover.orchestrator.cluster.Instance;
import io.drover.persistence.Database;
import io.drover.persistence.snapshot.BaseCopyStore;
import io.drover.persistence.snapshot.PeerCopies;
import io.drover.persistence.subtask.WarmPreference;
import io.drover.sandbox.BaseBuildLock;
import io.drover.workers.WorkerSettings;
import io.drover.workers.sandbox.Drivers;
import io.drover.workers.snapshot.BaseLayerServer;
import io.drover.workers.snapshot.BaseRecording;
import io.drover.workers.snapshot.PeerFetch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Bases per node: how this process records its node's copies, fetches them from peers and serves its own. */
@ApplicationScoped
public class SnapshotBeans {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotBeans.class);

    @Produces
    @Singleton
    BaseCopyStore baseCopyStore(Database db) {
        return new BaseCopyStore(db);
    }

    @Produces
    @Singleton
    BaseRecording baseRecording(Database db, BaseCopyStore copies, BaseBuildLock buildLock, Instance instance,
            WorkerSettings worker, DroverConfig config) {
        DroverConfig.Snapshots s = config.snapshots();
        // A use is written at most once a minute per base, and always well within the collection window.
        Duration touchEvery = min(Duration.ofMinutes(1), s.gcAfter().dividedBy(10));
        Optional<PeerFetch> peers = s.fetchFromPeers()
                ? Optional.of(new PeerFetch(new PeerCopies(db), instance.node(), config.cluster().goneAfter(), s.peerToken()))
                : Optional.empty();
        if (peers.isEmpty()) {
            LOG.info("drover.snapshots.fetch-from-peers is false: node {} runs the setup of every base it lacks",
                    instance.node());
        }
        return new BaseRecording(copies, buildLock, instance.node(), worker.owner(), Clock.systemUTC(), touchEvery,
                peers);
    }

    @Produces
    @Singleton
    BaseLayerServer baseLayerServer(BaseCopyStore copies, Drivers drivers, Instance instance, DroverConfig config) {
        return new BaseLayerServer(copies, drivers, instance.node(), config.snapshots().peerToken());
    }

    /** A worker's claim preference: its node's warm bases first, bounded by {@code drover.worker.starve-after}. */
    static WarmPreference warmPreference(DroverConfig config, Instance instance) {
        DroverConfig.Worker w = config.worker();
        if (!w.preferWarm()) {
            return WarmPreference.NONE;
        }
        if (w.starveAfter().isNegative() || w.starveAfter().isZero()) {
            throw new IllegalArgumentException("drover.worker.starve-after must be positive, e.g. 30s; was "
                    + w.starveAfter() + " (set drover.worker.prefer-warm=false to claim round-robin alone)");
        }
        return new WarmPreference(instance.node(), w.starveAfter(), config.cluster().goneAfter());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
