package io.drover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** submit, jobs, job, subtasks, logs, cost, cancel and retry against a real Drover server. */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@ExtendWith(ServerExtension.class)
class JobCommandsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    static DroverServer server;
    @TempDir
    static Path dir;

    @BeforeAll
    static void server(DroverServer started) {
        server = started;
    }

    private static Cli.Result drover(String... args) {
        return Cli.against(server, server.adminToken(), args);
    }

    private static long submitAndWait(String spec, int expectedExit) {
        Cli.Result result = drover("submit", "--wait", Specs.write(dir, "spec-" + spec.hashCode() + ".yaml", spec).toString());
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(expectedExit);
        return Long.parseLong(result.out().strip());
    }

    @Test
    void submit_wait_of_a_job_that_succeeds_prints_its_id_and_exits_0() {
        Cli.Result result = drover("submit", "--wait", Specs.write(dir, "ok.yaml", Specs.SUCCEEDS).toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out().strip()).matches("\\d+");
        // Not a terminal here: plain lines, the last one the job's end.
        assertThat(result.err()).contains("SUCCEEDED: 3/3  succeeded 3");
    }

    @Test
    void submit_wait_of_a_job_that_fails_exits_1() {
        Cli.Result result = drover("submit", "--wait", Specs.write(dir, "fails.yaml", Specs.FAILS).toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.JOB_FAILED);
        assertThat(result.err()).contains("FAILED: 2/2  failed 2");
    }

    @Test
    void a_bad_spec_prints_each_field_at_fault_and_exits_4() {
        Cli.Result result = drover("submit", Specs.write(dir, "bad.json", Specs.INVALID).toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.REFUSED);
        assertThat(result.err()).contains("(400)").contains("\n  spec.task.command: is required")
                .contains("\n  spec.task.env.DROVER_X: ");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void submit_wait_with_json_output_prints_one_document_the_job_at_its_end() throws Exception {
        Cli.Result result = drover("-o", "json", "submit", "-w", Specs.write(dir, "ok.json.yaml", Specs.SUCCEEDS).toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        JsonNode job = JSON.reader().with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .readTree(result.out());
        assertThat(job.path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(job.path("counts").path("SUCCEEDED").asInt()).isEqualTo(3);
    }

    @Test
    void a_spec_from_standard_input_is_read_with_a_dash() throws Exception {
        var stdin = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream(Specs.SUCCEEDS.getBytes()));
            Cli.Result result = drover("submit", "-");
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.out().strip()).matches("\\d+");
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void a_wrong_token_exits_3() {
        Cli.Result result = Cli.run("--server", server.url(), "--token", "not-a-token-of-this-server", "jobs");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.UNREACHABLE_OR_UNAUTHORIZED);
        assertThat(result.err()).contains("(401)");
    }

    @Test
    void an_unreachable_server_exits_3() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Cli.Result result = Cli.run("--server", "http://127.0.0.1:" + closedPort, "--token", "x", "jobs");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.UNREACHABLE_OR_UNAUTHORIZED);
        assertThat(result.err()).contains("cannot reach Drover at http://127.0.0.1:" + closedPort);
    }

    @Test
    void a_usage_error_exits_2() {
        assertThat(Cli.run("submit").exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(Cli.run("logs", "seven").exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(drover("job", "999999").exitCode()).isEqualTo(ExitCode.REFUSED);
    }

    @Test
    void jobs_and_job_print_aligned_tables_and_the_servers_json() throws Exception {
        long id = submitAndWait(Specs.SUCCEEDS, 0);

        Cli.Result table = drover("jobs");
        assertThat(table.exitCode()).as(table.toString()).isZero();
        String[] lines = table.out().split("\n");
        assertThat(lines[0]).startsWith("ID").contains("NAME").contains("STATE");
        String row = java.util.Arrays.stream(lines).filter(l -> l.startsWith(id + " ")).findFirst().orElseThrow();
        assertThat(row).contains("cli-succeeds").contains("SUCCEEDED");
        assertThat(row.indexOf("cli-succeeds")).isEqualTo(lines[0].indexOf("NAME"));
        assertThat(row.indexOf("SUCCEEDED")).isEqualTo(lines[0].indexOf("STATE"));

        JsonNode page = JSON.readTree(drover("jobs", "-o", "json").out());
        assertThat(page.path("items").findValuesAsText("name")).contains("cli-succeeds");

        Cli.Result job = drover("job", Long.toString(id));
        assertThat(job.out()).contains("state:").contains("SUCCEEDED").contains("succeeded 3");
        JsonNode one = JSON.readTree(drover("-o", "json", "job", Long.toString(id)).out());
        assertThat(one.path("counts").path("SUCCEEDED").asInt()).isEqualTo(3);
    }

    @Test
    void subtasks_logs_and_cost_show_what_each_subtask_did() throws Exception {
        long id = submitAndWait(Specs.FAILS, 1);

        Cli.Result subtasks = drover("subtasks", Long.toString(id));
        assertThat(subtasks.out().split("\n")[0]).startsWith("INDEX").contains("STATE").contains("EXIT");
        assertThat(subtasks.out()).contains("FAILED").contains("nonzero-exit").contains("{\"item\":\"one\"}");
        assertThat(drover("subtasks", Long.toString(id), "--state", "SUCCEEDED").out().strip().split("\n")).hasSize(1);
        JsonNode json = JSON.readTree(drover("subtasks", Long.toString(id), "--output", "json").out());
        assertThat(json.path("items").get(0).path("exitCode").asInt()).isEqualTo(3);

        assertThat(drover("logs", id + "/1").out()).isEqualTo("broken two\n");
        assertThat(drover("logs", id + "/1", "-f").exitCode()).isEqualTo(ExitCode.JOB_FAILED);
        assertThat(drover("logs", Long.toString(id)).out()).contains("==> " + id + "/0 FAILED <==\nbroken one\n");

        Cli.Result cost = drover("cost", Long.toString(id));
        assertThat(cost.exitCode()).as(cost.toString()).isZero();
        assertThat(cost.out()).contains("total:").contains("$").contains("attempts:");
        assertThat(JSON.readTree(drover("cost", Long.toString(id), "-o", "json").out()).path("jobId").asLong())
                .isEqualTo(id);
    }

    @Test
    void retry_runs_a_failed_subtask_again_and_cancelling_an_ended_job_is_refused() throws Exception {
        long failed = submitAndWait(Specs.FAILS, 1);
        Cli.Result retried = drover("retry", failed + "/0");
        assertThat(retried.exitCode()).as(retried.toString()).isZero();
        assertThat(JSON.readTree(drover("-o", "json", "subtasks", Long.toString(failed)).out()).path("items").get(0)
                .path("attempts").asInt()).isIn(1, 2); // the second attempt may not have started yet
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> JSON.readTree(
                drover("-o", "json", "subtasks", Long.toString(failed)).out()).path("items").get(0).path("attempts")
                .asInt() == 2);

        long succeeded = submitAndWait(Specs.SUCCEEDS, 0);
        Cli.Result late = drover("cancel", Long.toString(succeeded));
        assertThat(late.exitCode()).as(late.toString()).isEqualTo(ExitCode.REFUSED);
        assertThat(late.err()).contains("(409)");
    }
}
