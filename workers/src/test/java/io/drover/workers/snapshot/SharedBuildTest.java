package io.drover.workers.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.persistence.Database;
import io.drover.persistence.snapshot.AdvisoryLock;
import io.drover.persistence.testing.TestDatabases;
import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.process.ProcessDriver;
import io.drover.sandbox.process.ProcessDriverSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two drivers on one sandbox root stand for two Drover processes sharing a data directory: each
 * has its own in-process lock, so only the database lock can keep them from both running setup.
 */
class SharedBuildTest {
    @TempDir
    Path temp;
    private final Database db = TestDatabases.fresh();
    private final List<String> builds = new CopyOnWriteArrayList<>();
    private final Logger builderLog = Logger.getLogger("io.drover.sandbox.process.BaseBuilder");
    private final Handler counter = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getMessage().startsWith("Building base")) {
                builds.add(record.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private ProcessDriver first;
    private ProcessDriver second;

    @BeforeEach
    void setUp() {
        builderLog.addHandler(counter);
        first = driver();
        second = driver();
    }

    @AfterEach
    void tearDown() {
        builderLog.removeHandler(counter);
        first.close();
        second.close();
    }

    @Test
    void two_drivers_sharing_a_root_and_a_database_run_one_base_setup_once() throws Exception {
        // The sleep makes both callers miss the base on disk and reach the lock together.
        BaseSpec spec = new BaseSpec("host", List.of("sleep 1; echo built >> /workspace/counter"), Map.of());
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<BaseSnapshot>> results = List.of(
                    callers.submit(() -> { start.await(); return first.prepareBase(spec); }),
                    callers.submit(() -> { start.await(); return second.prepareBase(spec); }),
                    callers.submit(() -> { start.await(); return first.prepareBase(spec); }),
                    callers.submit(() -> { start.await(); return second.prepareBase(spec); }));
            start.countDown();
            for (Future<BaseSnapshot> result : results) {
                assertThat(Files.readString(result.get().location().resolve("counter"))).isEqualTo("built\n");
            }
        } finally {
            callers.shutdownNow();
        }
        // Each build starts from an empty layer, so the counter file alone cannot tell one build
        // from two: the builder's log line counts them.
        assertThat(builds).hasSize(1);
    }

    private ProcessDriver driver() {
        return new ProcessDriver(ProcessDriverSettings.defaults(temp.resolve("sandboxes"))
                .withBuildLock(new SharedBaseBuildLock(new AdvisoryLock(db.dataSource()), "node-a")));
    }
}
