package io.drover.bench;

import io.drover.persistence.Database;
import io.drover.persistence.attempt.AttemptStore;
import io.drover.persistence.job.JobStore;
import io.drover.persistence.job.NewJob;
import io.drover.persistence.subtask.SubtaskStore;
import io.drover.sandbox.SandboxDriver;
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
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** Runs one job of {@code n} subtasks through Drover's worker core on a fresh database. */
final class DroverWorkers {
    record Run(double seconds) {
    }

    private DroverWorkers() {
    }

    static Run run(Database db, SandboxDriver driver, String command, int n, int slots, Path logs) throws Exception {
        return run(db, driver, List.of(), command, n, slots, logs);
    }

    /** With {@code setup}: the job's base snapshot runs it once; every subtask starts from its result. */
    static Run run(Database db, SandboxDriver driver, List<String> setup, String command, int n, int slots, Path logs)
            throws Exception {
        try (Pools pools = new Pools(new Drivers(List.of(driver)), PoolSettings.defaults(), Clock.systemUTC(),
                PoolListener.NONE)) {
            return run(db, pools, driver, setup, command, n, slots, logs);
        }
    }

    private static Run run(Database db, Pools pools, SandboxDriver driver, List<String> setup, String command, int n,
            int slots, Path logs) throws InterruptedException {
        JobStore jobs = new JobStore(db);
        TaskTemplate task = new TaskTemplate(command, Map.of(), 600_000, driver.name(), "host", setup, Map.of(), 256,
                1, RetryPolicy.NONE);
        long start = System.nanoTime();
        long jobId = jobs.insert(NewJob.of("bench", "{}", TaskTemplates.toJson(task), "{}", "bench")).id();
        jobs.expand(jobId, IntStream.range(0, n).mapToObj(i -> "{\"n\":" + i + "}").toList());
        WorkerSlots workerSlots = new WorkerSlots(slots);
        RunningAttempts running = new RunningAttempts();
        AttemptRunner runner = new AttemptRunner(new WorkerSettings("bench", slots, logs, 4096), new TaskTemplates(jobs),
                new OneShotSandbox(pools), new AttemptStore(db), running, new CostMeter(PriceTable.defaults()));
        Dispatcher dispatcher = new Dispatcher("bench", new SubtaskStore(db), workerSlots);
        try (WorkerLoop loop = new WorkerLoop(new Worker(dispatcher, runner, workerSlots, running))) {
            loop.runUntil(() -> BenchDatabase.scalar(db.dataSource(),
                    "SELECT count(*) FROM subtask WHERE state IN ('PENDING', 'RUNNING')") == 0, 20);
        }
        jobs.completeIfDone(jobId);
        return new Run((System.nanoTime() - start) / 1e9);
    }
}
