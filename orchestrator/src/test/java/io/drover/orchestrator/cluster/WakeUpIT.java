package io.drover.orchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.orchestrator.testing.DroverProcess;
import io.drover.orchestrator.testing.Sql;
import io.drover.persistence.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Drover processes that neither poll nor sweep within the test: work submitted through one
 * reaches the other only by PostgreSQL's notice. Each job has two subtasks; the process that took the POST
 * runs one at a time, so the other subtask starts at once only if the second process was woken.
 */
class WakeUpIT {
    private static final int JOBS = 15;
    private static final String SPEC = "{\"metadata\": {\"name\": \"wake\"}, \"spec\": {\"fanout\": {\"items\": [1, 2]},"
            + " \"task\": {\"command\": \"sleep 1\"}}}";

    @TempDir
    Path temp;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void work_submitted_through_one_process_starts_at_once_on_another_that_does_not_poll() throws Exception {
        String database = TestDatabases.empty();
        DataSource ds = TestDatabases.server().dataSource(database);
        // No poll and no lease sweep (which also wakes the dispatcher) within the test's time.
        Map<String, String> slow = Map.of("drover.worker.poll-interval", "1h", "drover.worker.stale-after", "20m",
                "drover.worker.capacity", "1");
        List<Double> latencies = new ArrayList<>();
        try (DroverProcess api = new DroverProcess(TestDatabases.server().jdbcUrl(database), temp.resolve("a"),
                temp.resolve("a.log"), slow).start();
                DroverProcess other = new DroverProcess(TestDatabases.server().jdbcUrl(database), temp.resolve("b"),
                        temp.resolve("b.log"), slow).start()) {
            for (int i = 0; i < JOBS; i++) {
                long job = api.submit(SPEC);
                await().atMost(Duration.ofSeconds(20)).until(() -> ended(ds, job));
                latencies.add(Sql.decimal(ds, "SELECT extract(epoch FROM min(a.started_at) - j.created_at) FROM attempt a"
                        + " JOIN job j ON j.id = a.job_id WHERE a.job_id = " + job + " AND a.owner LIKE '%:"
                        + other.pid() + ":%' GROUP BY j.created_at"));
            }
        }
        latencies.sort(Double::compare);
        System.out.printf("wake-up across processes: submit on one process -> attempt started on the other,"
                + " %d jobs: p50 %.0f ms, max %.0f ms%n", JOBS, latencies.get(JOBS / 2) * 1000,
                latencies.get(JOBS - 1) * 1000);
        assertThat(latencies).as("every job's second subtask ran on the other process, woken within seconds")
                .hasSize(JOBS).allMatch(s -> s < 5.0);
    }

    private static boolean ended(DataSource ds, long job) throws Exception {
        return Sql.scalar(ds, "SELECT count(*) FROM job WHERE id = " + job + " AND state = 'SUCCEEDED'") == 1;
    }
}
