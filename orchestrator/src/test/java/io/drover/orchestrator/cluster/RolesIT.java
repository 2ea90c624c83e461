package io.drover.orchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.orchestrator.testing.DroverProcess;
import io.drover.orchestrator.testing.Sql;
import io.drover.persistence.testing.TestDatabases;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** An API process and a worker process on one database: jobs go in at one and run on the other. */
class RolesIT {
    @TempDir
    Path temp;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void jobs_submitted_to_an_api_process_run_on_the_worker_and_no_attempt_runs_on_the_api() throws Exception {
        String database = TestDatabases.empty();
        DataSource ds = TestDatabases.server().dataSource(database);
        try (DroverProcess api = new DroverProcess(TestDatabases.server().jdbcUrl(database), temp.resolve("api"),
                temp.resolve("api.log"), Map.of("drover.roles", "api")).start();
                DroverProcess worker = new DroverProcess(TestDatabases.server().jdbcUrl(database),
                        temp.resolve("worker"), temp.resolve("worker.log"), Map.of("drover.roles", "worker,scheduler"))
                        .start()) {
            long items = api.submit(spec("{\"items\": [1, 2, 3, 4, 5, 6, 7, 8]}"));
            long byCommand = api.submit(spec("{\"fromCommand\": \"seq 1 5\"}"));

            await().atMost(Duration.ofSeconds(60)).until(() -> state(ds, items).equals("SUCCEEDED")
                    && state(ds, byCommand).equals("SUCCEEDED"));

            assertThat(Sql.scalar(ds, "SELECT count(*) FROM subtask WHERE job_id = " + byCommand))
                    .as("the worker ran the fan-out's command").isEqualTo(5);
            assertThat(Sql.scalar(ds, "SELECT count(*) FROM attempt WHERE owner LIKE '%:" + api.pid() + ":%'"))
                    .as("attempts on the api process").isZero();
            assertThat(Sql.scalar(ds, "SELECT count(*) FROM attempt WHERE owner LIKE '%:" + worker.pid() + ":%'"))
                    .isEqualTo(13);
            assertThat(api.get("/q/health/ready").body()).contains("none: no worker role");
            assertThat(api.log()).contains("no worker role, so this process starts no sandbox driver")
                    .doesNotContain("passed its preflight");
            HttpResponse<String> noApi = worker.get("/api/v1/jobs/" + items);
            assertThat(noApi.statusCode()).isEqualTo(404);
            assertThat(noApi.body()).contains("this process has no api role (drover.roles=worker,scheduler)");
        }
    }

    private static String spec(String fanout) {
        return "{\"metadata\": {\"name\": \"roles\"}, \"spec\": {\"fanout\": " + fanout + ","
                + " \"task\": {\"command\": \"echo ${item}\"}}}";
    }

    private static String state(DataSource ds, long job) throws Exception {
        return Sql.text(ds, "SELECT state FROM job WHERE id = " + job);
    }
}
