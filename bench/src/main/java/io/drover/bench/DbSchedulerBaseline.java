package io.drover.bench;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import javax.sql.DataSource;

/** The peer of P1: db-scheduler executing n no-op one-time tasks with lock-and-fetch polling. */
final class DbSchedulerBaseline {
    private static final String TABLE = """
            CREATE TABLE scheduled_tasks (
                task_name TEXT NOT NULL, task_instance TEXT NOT NULL, task_data BYTEA,
                execution_time TIMESTAMPTZ NOT NULL, picked BOOLEAN NOT NULL, picked_by TEXT,
                last_success TIMESTAMPTZ, last_failure TIMESTAMPTZ, consecutive_failures INT,
                last_heartbeat TIMESTAMPTZ, version BIGINT NOT NULL, priority SMALLINT,
                PRIMARY KEY (task_name, task_instance));
            CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
            CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
            CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);
            """;

    private DbSchedulerBaseline() {
    }

    /** Seconds from scheduling the first task to the end of the last. */
    static double run(DataSource ds, int n, int threads) throws InterruptedException {
        BenchDatabase.execute(ds, TABLE);
        CountDownLatch done = new CountDownLatch(n);
        OneTimeTask<Void> noop = Tasks.oneTime("noop").execute((instance, context) -> done.countDown());
        Scheduler scheduler = Scheduler.create(ds, noop)
                .threads(threads)
                .pollUsingLockAndFetch(0.5, 1.0)
                .pollingInterval(Duration.ofMillis(20))
                .registerShutdownHook()
                .build();
        long start = System.nanoTime();
        List<TaskInstance<?>> instances = IntStream.range(0, n)
                .<TaskInstance<?>>mapToObj(i -> noop.instance("t" + i)).toList();
        scheduler.scheduleBatch(instances, Instant.now());
        scheduler.start();
        boolean finished = done.await(10, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - start) / 1e9;
        scheduler.stop();
        if (!finished) {
            throw new IllegalStateException("db-scheduler did not finish " + n + " tasks in 10 minutes");
        }
        return seconds;
    }
}
