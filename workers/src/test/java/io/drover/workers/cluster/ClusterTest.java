package io.drover.workers.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.persistence.Database;
import io.drover.persistence.attempt.AttemptStore;
import io.drover.persistence.job.JobStore;
import io.drover.persistence.job.NewJob;
import io.drover.persistence.subtask.ClaimedSubtask;
import io.drover.persistence.subtask.SubtaskStore;
import io.drover.persistence.testing.TestDatabases;
import io.drover.sandbox.process.ProcessDriver;
import io.drover.sandbox.process.ProcessDriverSettings;
import io.drover.sandbox.process.disk.DiskLimit;
import io.drover.workers.Worker;
import io.drover.workers.WorkerLoop;
import io.drover.workers.WorkerSettings;
import io.drover.workers.attempt.AttemptRunner;
import io.drover.workers.attempt.RunningAttempts;
import io.drover.workers.cost.CostMeter;
import io.drover.workers.cost.PriceTable;
import io.drover.workers.dispatch.Dispatcher;
import io.drover.workers.dispatch.WorkerSlots;
import io.drover.persistence.retry.RetryPolicy;
import io.drover.workers.sandbox.Drivers;
import io.drover.workers.sandbox.OneShotSandbox;
import io.drover.workers.sandbox.Pools;
import io.drover.sandbox.pool.PoolListener;
import io.drover.sandbox.pool.PoolSettings;
import java.time.Clock;
import io.drover.workers.task.TaskTemplate;
import io.drover.workers.task.TaskTemplates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In the spirit of db-scheduler's ClusterTests: two worker sets with separate owners share one
 * database and run 10,000 real subtasks; every subtask must complete exactly once.
 */
class ClusterTest {
    private static final int SUBTASKS = 10_000;
    private static final int SLOTS_PER_WORKER = 6;

    @TempDir
    Path temp;
    private Database db;
    private Drivers drivers;
    private Pools sandboxPools;
    private final List<ExecutorService> pools = new ArrayList<>();
    private final List<WorkerLoop> loops = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        // The sandbox user must be able to reach the sandbox root (JUnit makes temp dirs 0700).
        Files.setPosixFilePermissions(temp, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        db = TestDatabases.fresh();
        // Without the disk limit: this measures claims and attempts across workers; what the limit adds
        // to each sandbox is P11 (docs/benchmarks.md) and DiskLimitTest holds it.
        drivers = new Drivers(List.of(new ProcessDriver(ProcessDriverSettings.defaults(temp.resolve("sandboxes"))
                .withDiskLimit(DiskLimit.NONE, ProcessDriverSettings.DEFAULT_DISK_MB))));
        sandboxPools = new Pools(drivers, PoolSettings.defaults(), Clock.systemUTC(), PoolListener.NONE);
    }

    @AfterEach
    void tearDown() {
        pools.forEach(ExecutorService::shutdownNow);
        loops.forEach(WorkerLoop::close);
        sandboxPools.close();
        drivers.close();
    }

    @Test
    void two_worker_sets_on_one_database_complete_10000_subtasks_exactly_once() throws Exception {
        JobStore jobs = new JobStore(db);
        TaskTemplate task = new TaskTemplate("true", Map.of(), 60_000, "process", "host", List.of(), Map.of(), 64, 1,
                RetryPolicy.NONE);
        long jobId = jobs.insert(NewJob.of("cluster", "{}", TaskTemplates.toJson(task), "{}", "test")).id();
        jobs.expand(jobId, IntStream.range(0, SUBTASKS).mapToObj(i -> "{\"n\":" + i + "}").toList());

        long start = System.nanoTime();
        List<Future<Integer>> sets = new ArrayList<>();
        sets.addAll(startWorkerSet("worker-a"));
        sets.addAll(startWorkerSet("worker-b"));
        int ran = 0;
        for (Future<Integer> set : sets) {
            ran += set.get(15, TimeUnit.MINUTES);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("cluster: %d subtasks by 2 worker sets x %d slots in %.1f s (%.0f/s)%n", SUBTASKS,
                SLOTS_PER_WORKER, seconds, SUBTASKS / seconds);

        assertThat(ran).isEqualTo(SUBTASKS);
        assertThat(jobs.completeIfDone(jobId)).isPresent();
        assertThat(scalar("SELECT count(*) FROM subtask WHERE state = 'SUCCEEDED'")).isEqualTo(SUBTASKS);
        assertThat(scalar("SELECT count(*) FROM attempt")).as("one attempt per subtask").isEqualTo(SUBTASKS);
        assertThat(scalar("SELECT count(*) FROM (SELECT subtask_id FROM attempt WHERE state = 'SUCCEEDED'"
                + " GROUP BY subtask_id HAVING count(*) > 1) twice")).as("completed twice").isZero();
        assertThat(scalar("SELECT count(*) FROM attempt WHERE state IN ('RUNNING', 'LOST')")).as("left running or dead")
                .isZero();
        assertThat(scalar("SELECT count(DISTINCT owner) FROM attempt")).as("both worker sets took part").isEqualTo(2);
    }

    private List<Future<Integer>> startWorkerSet(String owner) throws Exception {
        WorkerSettings settings = new WorkerSettings(owner, SLOTS_PER_WORKER, Files.createDirectories(temp.resolve(owner)),
                4096);
        WorkerSlots slots = new WorkerSlots(SLOTS_PER_WORKER);
        RunningAttempts running = new RunningAttempts();
        AttemptRunner runner = new AttemptRunner(settings, new TaskTemplates(new JobStore(db)), new OneShotSandbox(sandboxPools),
                new AttemptStore(db), running, new CostMeter(PriceTable.defaults()));
        WorkerLoop loop = new WorkerLoop(new Worker(new Dispatcher(owner, new SubtaskStore(db), slots), runner, slots,
                running));
        loops.add(loop);
        ExecutorService dispatcher = Executors.newSingleThreadExecutor();
        pools.add(dispatcher);
        return List.of(dispatcher.submit(() -> loop.runUntil(this::nothingPending, 50)));
    }

    private boolean nothingPending() {
        try {
            return scalar("SELECT count(*) FROM subtask WHERE state = 'PENDING'") == 0;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long scalar(String sql) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
