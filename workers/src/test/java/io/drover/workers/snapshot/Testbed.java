package io.drover.workers.snapshot;

import io.drover.persistence.Database;
import io.drover.persistence.snapshot.AdvisoryLock;
import io.drover.persistence.snapshot.BaseSnapshotStore;
import io.drover.persistence.testing.TestDatabases;
import io.drover.sandbox.BaseBuildLock;
import io.drover.sandbox.pool.PoolListener;
import io.drover.sandbox.pool.PoolSettings;
import io.drover.sandbox.process.ProcessDriver;
import io.drover.sandbox.process.ProcessDriverSettings;
import io.drover.workers.sandbox.Drivers;
import io.drover.workers.sandbox.Pools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A Drover process's snapshot machinery on a fresh database: a process driver under {@code root}
 * behind the recording decorator and the shared build lock, with its pool, on a settable clock.
 */
final class Testbed implements AutoCloseable {
    static final Duration GC_AFTER = Duration.ofDays(7);

    final Database db = TestDatabases.fresh();
    final BaseSnapshotStore store = new BaseSnapshotStore(db);
    final SettableClock clock = new SettableClock();
    final BaseBuildLock lock = new SharedBaseBuildLock(new AdvisoryLock(db.dataSource()));
    final RecordingDriver driver;
    final Drivers drivers;
    final Pools pools;

    Testbed(Path root) throws Exception {
        driver = new RecordingDriver(new ProcessDriver(ProcessDriverSettings.defaults(root).withBuildLock(lock)), store,
                lock, "test-worker", clock, Duration.ofMinutes(1));
        drivers = new Drivers(List.of(driver));
        pools = new Pools(drivers, PoolSettings.defaults(), clock, PoolListener.NONE);
    }

    SnapshotCollector collector() {
        return new SnapshotCollector(pools, store, lock, clock, GC_AFTER);
    }

    @Override
    public void close() {
        pools.close();
        drivers.close();
    }
}
