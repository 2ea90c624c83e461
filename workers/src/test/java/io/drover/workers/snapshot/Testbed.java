package io.drover.workers.snapshot;

import io.drover.persistence.Database;
import io.drover.persistence.snapshot.AdvisoryLock;
import io.drover.persistence.snapshot.BaseCopyStore;
import io.drover.persistence.snapshot.BaseSnapshotStore;
import io.drover.persistence.testing.TestDatabases;
import io.drover.sandbox.BaseBuildLock;
import io.drover.sandbox.pool.PoolListener;
import io.drover.sandbox.pool.PoolSettings;
import io.drover.sandbox.process.ProcessDriver;
import io.drover.sandbox.process.ProcessDriverSettings;
import io.drover.workers.cost.PriceTable;
import io.drover.workers.cost.SetupMeter;
import io.drover.workers.sandbox.Drivers;
import io.drover.workers.sandbox.Pools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A Drover node's snapshot machinery: a process driver under {@code root} behind the recording
 * decorator and the node's build lock, with its pool, on a settable clock. Several testbeds on one
 * database, each with its own root and node name, stand for several nodes.
 */
final class Testbed implements AutoCloseable {
    static final Duration GC_AFTER = Duration.ofDays(7);

    final Database db;
    final Path root;
    final String node;
    final BaseSnapshotStore store;
    final BaseCopyStore copies;
    final SettableClock clock = new SettableClock();
    final BaseBuildLock lock;
    final ProcessDriver process;
    final RecordingDriver driver;
    final Drivers drivers;
    final Pools pools;

    Testbed(Path root) throws Exception {
        this(root, TestDatabases.fresh(), "node-a", Optional.empty());
    }

    Testbed(Path root, Database db, String node, Optional<PeerFetch> peers) throws Exception {
        this.db = db;
        this.root = root;
        this.node = node;
        store = new BaseSnapshotStore(db);
        copies = new BaseCopyStore(db);
        lock = new SharedBaseBuildLock(new AdvisoryLock(db.dataSource()), node);
        process = new ProcessDriver(ProcessDriverSettings.defaults(root));
        driver = new RecordingDriver(process, new BaseRecording(copies, lock, node, "worker@" + node, clock,
                Duration.ofMinutes(1), peers), new SetupMeter(PriceTable.defaults(),
                        ProcessDriverSettings.defaults(root).setupResources()));
        drivers = new Drivers(List.of(driver));
        pools = new Pools(drivers, PoolSettings.defaults(), clock, PoolListener.NONE);
    }

    SnapshotCollector collector() {
        return new SnapshotCollector(pools, copies, lock, node, clock, GC_AFTER);
    }

    @Override
    public void close() {
        pools.close();
        drivers.close();
    }
}
