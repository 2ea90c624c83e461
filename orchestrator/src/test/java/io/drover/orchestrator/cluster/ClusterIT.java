package io.drover.orchestrator.cluster;

import static io.drover.orchestrator.testing.JobChecks.assertExactlyOnce;
import static io.drover.orchestrator.testing.JobChecks.itemsSpec;
import static io.drover.orchestrator.testing.JobChecks.state;
import static io.drover.orchestrator.testing.JobChecks.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.orchestrator.testing.DroverProcess;
import io.drover.orchestrator.testing.Sql;
import io.drover.persistence.job.JobState;
import io.drover.persistence.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drover spread over processes as over machines: two api replicas, three workers and one
 * scheduler, each a JVM of its own with its own data dir, on one PostgreSQL server. Jobs go in
 * through either api replica; a worker is SIGKILLed in the middle of a 20,000-subtask job.
 */
class ClusterIT {
    /** The big job's size; {@code -Ddrover.cluster-it.subtasks=N} runs a smaller one by hand. */
    private static final int SUBTASKS = Integer.getInteger("drover.cluster-it.subtasks", 20_000);
    /** Subtasks of each throughput job, run with one, two and three workers. */
    private static final int PHASE = Integer.getInteger("drover.cluster-it.phase", 1_000);

    @TempDir
    Path temp;

    private final List<DroverProcess> processes = new ArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (DroverProcess p : processes) {
            p.close();
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void every_subtask_completes_exactly_once_on_the_workers_when_one_worker_is_killed_mid_job() throws Exception {
        String database = TestDatabases.empty();
        String jdbcUrl = TestDatabases.server().jdbcUrl(database);
        DataSource ds = TestDatabases.server().dataSource(database);
        DroverProcess api1 = start(jdbcUrl, "api-1", "api");
        DroverProcess api2 = start(jdbcUrl, "api-2", "api");
        start(jdbcUrl, "scheduler", "scheduler");

        List<DroverProcess> workers = new ArrayList<>();
        double[] rates = new double[3];
        for (int n = 1; n <= 3; n++) {
            workers.add(start(jdbcUrl, "worker-" + n, "worker"));
            DroverProcess api = n % 2 == 1 ? api1 : api2;
            long job = api.submit(itemsSpec("throughput-" + n, PHASE, "true"));
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(100))
                    .until(() -> state(ds, job).isTerminal());
            assertExactlyOnce(ds, job, PHASE);
            rates[n - 1] = PHASE / seconds(ds, job);
            System.out.printf("cluster: %d worker(s): %d subtasks in %.2f s, %.1f subtasks/s%n", n, PHASE,
                    PHASE / rates[n - 1], rates[n - 1]);
        }

        long started = System.nanoTime();
        long big = api2.submit(itemsSpec("cluster", SUBTASKS, "true"));
        DroverProcess victim = workers.get(1);
        await().atMost(Duration.ofMinutes(10)).until(() -> succeeded(ds, big) >= SUBTASKS / 4);
        victim.kill();
        long atKill = succeeded(ds, big);
        await().atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofMillis(500))
                .until(() -> state(ds, big).isTerminal());
        double wall = (System.nanoTime() - started) / 1e9;

        assertThat(state(ds, big)).isEqualTo(JobState.SUCCEEDED);
        assertExactlyOnce(ds, big, SUBTASKS);
        String victimOwner = "'%:" + victim.pid() + ":%'";
        long lost = Sql.scalar(ds, "SELECT count(*) FROM attempt WHERE job_id = " + big
                + " AND state = 'LOST' AND owner LIKE " + victimOwner);
        assertThat(lost).as("the killed worker's running attempts were lost and ran again elsewhere").isPositive();
        assertThat(Sql.scalar(ds, "SELECT count(*) FROM attempt WHERE job_id = " + big + " AND state = 'SUCCEEDED'"
                + " AND owner LIKE " + victimOwner + " AND finished_at > (SELECT min(finished_at) FROM attempt"
                + " WHERE state = 'LOST' AND owner LIKE " + victimOwner + ")"))
                .as("successes of the killed worker after its loss").isZero();
        assertThat(Sql.scalar(ds, "SELECT count(*) FROM attempt a LEFT JOIN instance i ON i.id = a.owner"
                + " WHERE i.id IS NULL OR i.roles NOT LIKE '%worker%'")).as("attempts not run by a worker").isZero();
        assertThat(Sql.scalar(ds, "SELECT count(DISTINCT owner) FROM attempt WHERE job_id = " + big)).isEqualTo(3);
        System.out.printf("cluster: %d subtasks on 3 workers, one SIGKILLed at %d succeeded: %.1f s, %.1f subtasks/s;"
                + " %d attempts lost to the kill; 1/2/3 workers: %.1f / %.1f / %.1f subtasks/s (%.2fx / %.2fx)%n",
                SUBTASKS, atKill, wall, SUBTASKS / wall, lost, rates[0], rates[1], rates[2], rates[1] / rates[0],
                rates[2] / rates[0]);

        // The killed worker comes back on its data dir: it reclaims what its sandboxes left behind.
        DroverProcess back = start(jdbcUrl, "worker-2", "worker");
        assertThat(back.log()).contains("Reclaimed the sandboxes of dead driver");
    }

    /**
     * A process in {@code roles}. The LLM gateway is off: what is under test is the orchestration
     * across processes, and without a gateway to forward a default sandbox needs no network
     * namespace, so a clone costs milliseconds instead of a pasta start.
     */
    private DroverProcess start(String jdbcUrl, String name, String roles) {
        DroverProcess p = new DroverProcess(jdbcUrl, temp.resolve(name), temp.resolve(name + ".log"),
                // Without the disk limit: this measures orchestration across processes; the limit's
                // cost per sandbox is P11 (docs/benchmarks.md).
                Map.of("drover.roles", roles, "drover.worker.capacity", "8", "drover.llm.gateway.enabled", "false",
                        "drover.pool.disk-limit", "none"))
                .start();
        processes.add(p);
        return p;
    }

    private static double seconds(DataSource ds, long job) throws Exception {
        return Sql.decimal(ds, "SELECT extract(epoch FROM finished_at - created_at) FROM job WHERE id = " + job);
    }
}
