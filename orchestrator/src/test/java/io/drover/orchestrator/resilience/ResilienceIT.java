package io.drover.orchestrator.resilience;

import static io.drover.orchestrator.testing.JobChecks.assertExactlyOnce;
import static io.drover.orchestrator.testing.JobChecks.state;
import static io.drover.orchestrator.testing.JobChecks.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.orchestrator.testing.DroverProcess;
import io.drover.orchestrator.testing.JobChecks;
import io.drover.orchestrator.testing.Sql;
import io.drover.persistence.embedded.EmbeddedPostgresServer;
import io.drover.persistence.job.JobState;
import io.drover.persistence.testing.TestDatabases;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drover as separate processes on a real PostgreSQL, killed, frozen and cut off from its
 * database mid-job: every subtask must still complete, and complete exactly once.
 */
class ResilienceIT {
    @TempDir
    Path temp;

    @Test
    void a_job_survives_three_sigkills_of_its_drover_process_and_completes_each_subtask_once() throws Exception {
        String database = TestDatabases.empty();
        DataSource ds = TestDatabases.server().dataSource(database);
        long started = System.nanoTime();
        long jobId;
        try (DroverProcess drover = drover(database, "crash")) {
            jobId = submit(drover, 1_000, "sleep 0.02");
            for (int kill = 1; kill <= 3; kill++) {
                long target = 200L * kill;
                await().atMost(Duration.ofSeconds(120)).until(() -> succeeded(ds, jobId) >= target);
                drover.kill();
                System.out.printf("crash test: SIGKILL %d at %d/1000 succeeded%n", kill, succeeded(ds, jobId));
                drover.start();
            }
            await().atMost(Duration.ofSeconds(180)).until(() -> state(ds, jobId).isTerminal());
        }
        System.out.printf("crash test: 1000 subtasks, 3 SIGKILLs, %.1f s; attempts lost to the kills: %d%n",
                (System.nanoTime() - started) / 1e9, Sql.scalar(ds, "SELECT count(*) FROM attempt WHERE state = 'LOST'"));
        assertThat(state(ds, jobId)).isEqualTo(JobState.SUCCEEDED);
        assertExactlyOnce(ds, jobId, 1_000);
    }

    @Test
    void a_frozen_worker_has_its_attempts_taken_over_and_its_late_completions_rejected() throws Exception {
        String database = TestDatabases.empty();
        DataSource ds = TestDatabases.server().dataSource(database);
        try (DroverProcess frozen = drover(database, "frozen"); DroverProcess healthy = drover(database, "healthy")) {
            long jobId = submit(frozen, 24, "sleep 2");
            String frozenOwner = "%:" + frozen.pid() + ":%";
            await().atMost(Duration.ofSeconds(30)).until(() -> Sql.scalar(ds,
                    "SELECT count(*) FROM attempt WHERE state = 'RUNNING' AND owner LIKE '" + frozenOwner + "'") > 0);

            frozen.freeze();
            await().atMost(Duration.ofSeconds(90)).until(() -> state(ds, jobId).isTerminal());
            frozen.thaw();
            await().atMost(Duration.ofSeconds(30)).until(() -> frozen.log().contains("rejected"));

            assertThat(state(ds, jobId)).isEqualTo(JobState.SUCCEEDED);
            assertThat(Sql.scalar(ds, "SELECT count(*) FROM attempt WHERE state = 'LOST' AND failure = 'sandbox-lost'"
                    + " AND owner LIKE '" + frozenOwner + "'")).isPositive();
            assertExactlyOnce(ds, jobId, 24);
        }
    }

    @Test
    void drover_reconnects_when_postgresql_restarts_mid_job() throws Exception {
        Path pgdata = temp.resolve("pgdata");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.durable(pgdata, port);
        try (DroverProcess drover = new DroverProcess(postgres.jdbcUrl(), temp.resolve("restart-data"),
                temp.resolve("restart.log"),
                Map.of("quarkus.datasource.password", postgres.password().orElseThrow())).start()) {
            DataSource ds = postgres.dataSource(EmbeddedPostgresServer.DATABASE);
            long jobId = submit(drover, 300, "sleep 0.05");
            await().atMost(Duration.ofSeconds(60)).until(() -> succeeded(ds, jobId) >= 100);

            postgres.close();
            Thread.sleep(2_000); // the outage itself, not a wait for a condition
            postgres = EmbeddedPostgresServer.durable(pgdata, port);
            DataSource again = postgres.dataSource(EmbeddedPostgresServer.DATABASE);

            await().atMost(Duration.ofSeconds(120)).until(() -> state(again, jobId).isTerminal());
            assertThat(state(again, jobId)).isEqualTo(JobState.SUCCEEDED);
            assertExactlyOnce(again, jobId, 300);
        } finally {
            postgres.close();
        }
    }

    private DroverProcess drover(String database, String name) {
        return new DroverProcess(TestDatabases.server().jdbcUrl(database), temp.resolve(name + "-data"),
                temp.resolve(name + ".log"), Map.of("drover.worker.capacity", "8")).start();
    }

    private static long submit(DroverProcess drover, int items, String command) throws Exception {
        return drover.submit(JobChecks.itemsSpec("resilience", items, command));
    }

}
