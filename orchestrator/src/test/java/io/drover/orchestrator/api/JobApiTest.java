package io.drover.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import io.drover.orchestrator.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class JobApiTest {
    @Inject
    DataSource dataSource;

    static long submit(String yaml) {
        return given().contentType("application/yaml").body(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .when().post("/api/v1/jobs")
                .then().statusCode(201)
                .header("Location", containsString("/api/v1/jobs/"))
                .body("state", equalTo("SUBMITTED"))
                .extract().jsonPath().getLong("id");
    }

    static JsonPath awaitEnd(long id, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(200)).until(() -> {
            String state = given().get("/api/v1/jobs/" + id).jsonPath().getString("state");
            return List.of("SUCCEEDED", "FAILED", "CANCELLED", "BUDGET_EXCEEDED").contains(state);
        });
        return given().get("/api/v1/jobs/" + id).jsonPath();
    }

    static String job(String name, String fanout, String command) {
        return """
                apiVersion: drover/v1
                kind: Job
                metadata: {name: %s}
                spec:
                  fanout:
                    %s
                  task:
                    command: '%s'
                    timeout: 2m
                """.formatted(name, fanout, command.replace("'", "''"));
    }

    @Test
    void a_200_item_job_submitted_over_rest_ends_with_200_succeeded_subtasks() {
        String items = IntStream.range(0, 200).mapToObj(i -> "\"n" + i + "\"").collect(Collectors.joining(", "));
        long id = submit(job("two-hundred", "items: [" + items + "]", "echo \"${item} $DROVER_SUBTASK_INDEX\""));

        JsonPath job = awaitEnd(id, Duration.ofSeconds(90));

        assertThat(job.getString("state")).isEqualTo("SUCCEEDED");
        assertThat(job.getInt("subtasks")).isEqualTo(200);
        assertThat(job.getInt("counts.SUCCEEDED")).isEqualTo(200);
        assertThat(job.getString("startedAt")).isNotNull();
        assertThat(job.getString("finishedAt")).isNotNull();
        given().get("/api/v1/jobs/" + id + "/subtasks/137").then()
                .body("state", equalTo("SUCCEEDED"))
                .body("exitCode", equalTo(0))
                .body("attempts", equalTo(1))
                .body("item.item", equalTo("n137"))
                .body("outputTail", equalTo("n137 137\n"));
        given().get("/api/v1/jobs/" + id + "/subtasks/5/log").then().statusCode(200).body(equalTo("n5 5\n"));
    }

    @Test
    void every_subtask_sees_at_workspace_what_the_setup_of_its_sandbox_prepared() {
        long id = submit("""
                apiVersion: drover/v1
                kind: Job
                metadata: {name: with-setup}
                spec:
                  sandbox:
                    setup: ['mkdir -p /workspace/app && echo "$GREETING" > /workspace/app/state']
                    setupEnv: {GREETING: ready}
                  fanout:
                    items: [a, b, c]
                  task:
                    command: 'echo $(cat app/state) in $(pwd) for ${item}'
                    timeout: 2m
                """);

        JsonPath job = awaitEnd(id, Duration.ofSeconds(60));

        assertThat(job.getString("state")).isEqualTo("SUCCEEDED");
        assertThat(given().get("/api/v1/jobs/" + id + "/subtasks").jsonPath().getList("items.outputTail", String.class))
                .containsExactly("ready in /workspace for a\n", "ready in /workspace for b\n", "ready in /workspace for c\n");
    }

    @Test
    void a_failing_command_fails_its_subtask_with_its_exit_code_and_the_job() {
        long id = submit(job("some-fail", "items: [ok, bad, ok2]",
                "echo trying ${item}; if [ ${item} = bad ]; then echo broken >&2; exit 7; fi"));

        JsonPath job = awaitEnd(id, Duration.ofSeconds(30));

        assertThat(job.getString("state")).isEqualTo("FAILED");
        assertThat(job.getInt("counts.FAILED")).isEqualTo(1);
        assertThat(job.getInt("counts.SUCCEEDED")).isEqualTo(2);
        given().get("/api/v1/jobs/" + id + "/subtasks?state=FAILED").then()
                .body("items", hasSize(1))
                .body("items[0].index", equalTo(1))
                .body("items[0].exitCode", equalTo(7))
                .body("items[0].failure", equalTo("nonzero-exit"))
                .body("items[0].outputTail", equalTo("trying bad\nbroken\n"));
    }

    @Test
    void a_rejected_spec_lists_every_bad_field_and_writes_no_rows() throws Exception {
        long before = rows("job") + rows("subtask");
        String bad = """
                apiVersion: drover/v2
                metadata: {name: Not_A_Name}
                spec:
                  fanout: {items: [a], matrix: {x: [1]}}
                  task: {timeout: forever}
                  retry: {maxAttempts: 0}
                """;
        given().contentType("application/yaml").body(bad.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .when().post("/api/v1/jobs")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:drover:problem:invalid-spec"))
                .body("status", equalTo(400))
                .body("errors.field", hasItem("apiVersion"))
                .body("errors.field", hasItem("metadata.name"))
                .body("errors.find { it.field == 'spec.fanout' }.message",
                        equalTo("exactly one of items, matrix, fromCommand"))
                .body("errors.field", hasItem("spec.task.command"))
                .body("errors.field", hasItem("spec.task.timeout"))
                .body("errors.field", hasItem("spec.retry.maxAttempts"));
        given().contentType("application/json").body("{\"metadata\": ")
                .when().post("/api/v1/jobs")
                .then().statusCode(400)
                .body("errors[0].field", equalTo("body"))
                .body("errors[0].message", startsWith("line 1, column"));
        assertThat(rows("job") + rows("subtask")).isEqualTo(before);
    }

    @Test
    void an_oversized_body_gets_a_413_problem_naming_the_limit_whether_declared_or_streamed() throws Exception {
        long before = rows("job");
        byte[] big = new byte[11 << 20];
        Arrays.fill(big, (byte) ' ');
        given().contentType("application/json").body(big)
                .when().post("/api/v1/jobs")
                .then().statusCode(413)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:drover:problem:body-too-large"))
                .body("detail", equalTo("the request body of " + big.length + " bytes is over the limit of 10485760"
                        + " bytes (quarkus.http.limits.max-body-size)"));

        // No length: the body streams in chunks and is refused when it crosses the limit.
        HttpRequest chunked = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/api/v1/jobs"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + PostgresResource.ADMIN_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();
        HttpResponse<String> streamed = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(chunked, HttpResponse.BodyHandlers.ofString());
        assertThat(streamed.statusCode()).isEqualTo(413);
        assertThat(streamed.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(streamed.body()).contains("is over the limit of 10485760 bytes (quarkus.http.limits.max-body-size)");
        assertThat(rows("job")).isEqualTo(before);
    }

    @Test
    void json_specs_matrix_fanouts_and_item_values_reach_the_command_and_its_environment() {
        String spec = """
                {"metadata": {"name": "matrix-json"},
                 "spec": {"fanout": {"matrix": {"shard": [1, 2], "node": ["18", "20"]}},
                          "task": {"command": "echo $SHARD/${node} $DROVER_ITEM", "env": {"SHARD": "s${shard}"}}}}
                """;
        long id = given().contentType("application/json").body(spec).post("/api/v1/jobs")
                .then().statusCode(201).extract().jsonPath().getLong("id");

        assertThat(awaitEnd(id, Duration.ofSeconds(30)).getString("state")).isEqualTo("SUCCEEDED");
        JsonPath subtasks = given().get("/api/v1/jobs/" + id + "/subtasks").jsonPath();
        assertThat(subtasks.getList("items.outputTail", String.class)).containsExactly(
                "s1/18 {\"shard\":1,\"node\":\"18\"}\n", "s1/20 {\"shard\":1,\"node\":\"20\"}\n",
                "s2/18 {\"shard\":2,\"node\":\"18\"}\n", "s2/20 {\"shard\":2,\"node\":\"20\"}\n");
    }

    @Test
    void a_from_command_fanout_takes_one_item_per_output_line() {
        long id = submit(job("from-command", "fromCommand: 'printf \"red\\ngreen\\n{\\\"color\\\": \\\"blue\\\"}\\n\"'",
                "echo ${item}${color}"));

        JsonPath job = awaitEnd(id, Duration.ofSeconds(30));

        assertThat(job.getString("state")).isEqualTo("SUCCEEDED");
        assertThat(given().get("/api/v1/jobs/" + id + "/subtasks").jsonPath().getList("items.outputTail", String.class))
                .as("placeholders an item does not define are left to the shell, where they are unset")
                .containsExactly("red\n", "green\n", "blue\n");
    }

    @Test
    void cancel_stops_running_subtasks_and_cancels_pending_ones() {
        String items = IntStream.range(0, 40).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        long id = submit(job("to-cancel", "items: [" + items + "]", "sleep 60.25"));
        await().atMost(Duration.ofSeconds(20)).until(() ->
                given().get("/api/v1/jobs/" + id).jsonPath().getInt("counts.RUNNING") > 0);

        given().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(202);
        JsonPath job = awaitEnd(id, Duration.ofSeconds(15));

        assertThat(job.getString("state")).isEqualTo("CANCELLED");
        assertThat(job.getInt("counts.CANCELLED")).isEqualTo(40);
        JsonPath first = given().get("/api/v1/jobs/" + id + "/subtasks/0").jsonPath();
        assertThat(first.getString("failure")).isEqualTo("cancelled");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("sleep 60.25")).map(p -> p.pid() + " "
                        + p.info().commandLine().orElse("")).toList())
                .as("no sandbox process outlives the cancel by more than a moment").isEmpty());
        given().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(409)
                .contentType("application/problem+json");
    }

    @Test
    void unknown_jobs_and_bad_parameters_are_problems() {
        given().get("/api/v1/jobs/999999").then().statusCode(404)
                .contentType("application/problem+json").body("detail", equalTo("job 999999 does not exist"));
        given().get("/api/v1/jobs?limit=0").then().statusCode(400).body("errors[0].field", equalTo("limit"));
        given().get("/api/v1/jobs?state=DONE").then().statusCode(400).body("errors[0].field", equalTo("state"));
    }

    @Test
    void jobs_are_listed_newest_first_and_paged() {
        long a = submit(job("page-a", "items: [x]", "true"));
        long b = submit(job("page-b", "items: [x]", "true"));
        JsonPath first = given().get("/api/v1/jobs?limit=1").jsonPath();
        assertThat(first.getLong("items[0].id")).isEqualTo(b);
        Map<String, Object> next = Map.of("limit", 1, "cursor", first.getString("nextCursor"));
        assertThat(given().queryParams(next).get("/api/v1/jobs").jsonPath().getLong("items[0].id")).isEqualTo(a);
    }

    @Test
    void a_subtask_writing_past_its_disk_mb_fails_as_disk_quota_and_is_not_retried() {
        String spec = job("disk-full", "items: [a]", "dd if=/dev/zero of=/workspace/big bs=1M count=100")
                + "  sandbox: {resources: {diskMb: 32}}\n"
                + "  retry: {maxAttempts: 3, backoff: {initial: 100ms, max: 200ms}}\n";

        JsonPath job = awaitEnd(submit(spec), Duration.ofSeconds(60));

        assertThat(job.getString("state")).isEqualTo("FAILED");
        given().get("/api/v1/jobs/" + job.getLong("id") + "/subtasks/0").then()
                .body("state", equalTo("FAILED"))
                .body("failure", equalTo("disk-quota"))
                .body("attempts", equalTo(1))
                .body("outputTail", org.hamcrest.Matchers.containsString("No space left on device"));
    }

    @Test
    void a_failed_attempt_is_retried_per_policy_as_a_new_attempt_of_the_same_subtask() {
        String spec = job("flaky", "items: [a, b]", "echo attempt $DROVER_ATTEMPT; [ $DROVER_ATTEMPT -ge 3 ] || exit 75")
                + "  retry: {maxAttempts: 3, backoff: {initial: 100ms, max: 200ms}, retryOn: [{nonzero-exit: [75]}]}\n";

        JsonPath job = awaitEnd(submit(spec), Duration.ofSeconds(30));

        assertThat(job.getString("state")).isEqualTo("SUCCEEDED");
        long id = job.getLong("id");
        given().get("/api/v1/jobs/" + id + "/subtasks/1").then()
                .body("attempts", equalTo(3))
                .body("exitCode", equalTo(0))
                .body("outputTail", equalTo("attempt 3\n"));
    }

    @Test
    void a_finished_job_can_run_its_failed_subtasks_again() {
        long id = submit(job("rerun", "items: [a, b]", "[ ${item} = a ] || [ $DROVER_ATTEMPT -ge 2 ] || exit 1"));
        assertThat(awaitEnd(id, Duration.ofSeconds(30)).getString("state")).isEqualTo("FAILED");

        given().post("/api/v1/jobs/" + id + "/retry").then().statusCode(202).body("subtasks", equalTo(1));
        JsonPath job = awaitEnd(id, Duration.ofSeconds(30));

        assertThat(job.getString("state")).isEqualTo("SUCCEEDED");
        assertThat(job.getInt("counts.SUCCEEDED")).isEqualTo(2);
        given().get("/api/v1/jobs/" + id + "/subtasks/1").then().body("attempts", equalTo(2));
        given().post("/api/v1/jobs/" + id + "/retry").then().statusCode(409);
    }

    @Test
    void the_same_idempotency_key_returns_the_original_job_and_a_different_body_conflicts() {
        String spec = job("idempotent", "items: [x]", "true");
        String key = "key-" + System.nanoTime();
        long id = given().contentType("application/yaml").header("Idempotency-Key", key)
                .body(spec.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/v1/jobs")
                .then().statusCode(201).extract().jsonPath().getLong("id");

        given().contentType("application/yaml").header("Idempotency-Key", key)
                .body(spec.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/v1/jobs")
                .then().statusCode(200).body("id", equalTo((int) id));
        given().contentType("application/yaml").header("Idempotency-Key", key)
                .body(job("idempotent", "items: [y]", "true").getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/v1/jobs")
                .then().statusCode(409).contentType("application/problem+json");
    }

    @Test
    void one_subtask_can_be_cancelled_while_the_others_finish() {
        long id = submit(job("cancel-one", "items: [quick, slow]", "[ ${item} = quick ] || sleep 60"));
        await().atMost(Duration.ofSeconds(20)).until(() ->
                "RUNNING".equals(given().get("/api/v1/jobs/" + id + "/subtasks/1").jsonPath().getString("state")));

        given().post("/api/v1/jobs/" + id + "/subtasks/1/cancel").then().statusCode(202);
        JsonPath job = awaitEnd(id, Duration.ofSeconds(15));

        assertThat(job.getString("state")).as("a cancelled subtask alone does not fail its job").isEqualTo("SUCCEEDED");
        assertThat(job.getInt("counts.CANCELLED")).isEqualTo(1);
        assertThat(job.getInt("counts.SUCCEEDED")).isEqualTo(1);
    }

    @Test
    void the_cost_report_prices_reported_tokens_counts_failed_attempts_and_compares_other_billing() {
        String usage = "{\"type\":\"llm\",\"model\":\"gpt-4o-mini\",\"inputTokens\":1000000}";
        long id = submit(job("costed", "items: [a, b, bad]",
                "echo '" + usage + "' >> $DROVER_USAGE; echo oops >> $DROVER_USAGE; [ ${item} != bad ]"));
        awaitEnd(id, Duration.ofSeconds(30));

        JsonPath cost = JsonPath.from(given().get("/api/v1/jobs/" + id + "/cost").then().statusCode(200).extract().asString())
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.BIG_DECIMAL));

        BigDecimal total = new BigDecimal(cost.getString("totalUsd"));
        assertThat(new BigDecimal(cost.getString("byDimension.tokens"))).as("3 x 1M input tokens at 0.15")
                .isEqualByComparingTo("0.45");
        assertThat(new BigDecimal(cost.getString("byDimension.compute"))).isPositive();
        assertThat(total).isGreaterThan(new BigDecimal("0.45"));
        assertThat(cost.getLong("succeededSubtasks")).isEqualTo(2);
        assertThat(cost.getInt("failedAttempts")).isEqualTo(1);
        assertThat(new BigDecimal(cost.getString("costPerSucceededSubtaskUsd")))
                .as("the failed attempt is paid by the subtasks that succeeded")
                .isEqualByComparingTo(total.divide(BigDecimal.valueOf(2), 12, java.math.RoundingMode.HALF_EVEN));
        assertThat(new BigDecimal(cost.getString("failedAttemptShare"))).isBetween(new BigDecimal("0.30"),
                new BigDecimal("0.37"));
        assertThat(new BigDecimal(cost.getString("idleShare"))).as("echo leaves the vCPU mostly idle")
                .isBetween(BigDecimal.ZERO, BigDecimal.ONE);
        assertThat(cost.getList("dearest")).hasSize(3);
        assertThat(cost.getList("counterfactuals.billing", String.class)).containsExactly("per-hour",
                "per-second-1-minute-minimum", "idle-timeout-15-minutes", "no-snapshot-reuse");
        assertThat(new BigDecimal(cost.getString("counterfactuals[0].ratio"))).as("an hour per sandbox costs more")
                .isGreaterThan(BigDecimal.ONE);
        assertThat(cost.getString("totalUsd")).doesNotContain("E");
        List<String> costs = JsonPath.from(given().get("/api/v1/jobs/" + id + "/subtasks").asString())
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.BIG_DECIMAL)).getList("items.costUsd", String.class);
        assertThat(costs).hasSize(3).allSatisfy(c -> assertThat(new BigDecimal(c)).isGreaterThan(new BigDecimal("0.15")));
        assertThat(given().get("/api/v1/jobs/" + id + "/subtasks/0/log").asString())
                .contains("1 line(s) of $DROVER_USAGE were not used: line 2: not JSON");
        assertThat(given().get("/q/metrics").asString()).contains("drover_cost_usd_total{dimension=\"tokens\"");
        given().get("/api/v1/jobs/999999/cost").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void a_job_that_reaches_its_budget_starts_no_more_subtasks_and_ends_budget_exceeded() {
        long id = submit("""
                apiVersion: drover/v1
                kind: Job
                metadata: {name: budgeted}
                spec:
                  fanout: {items: [a, b, c, d]}
                  task:
                    command: |
                      echo '{"type":"llm","model":"gpt-4o-mini","inputTokens":1000000}' >> $DROVER_USAGE
                  concurrency: 1
                  budget: {maxCostUsd: 0.20}
                """);

        JsonPath job = awaitEnd(id, Duration.ofSeconds(30));

        assertThat(job.getString("state")).isEqualTo("BUDGET_EXCEEDED");
        assertThat(job.getInt("counts.SUCCEEDED")).as("0.15 + 0.15 of tokens crosses 0.20").isEqualTo(2);
        assertThat(job.getInt("counts.CANCELLED")).isEqualTo(2);
        assertThat(new BigDecimal(given().get("/api/v1/jobs/" + id + "/cost").jsonPath().getString("byDimension.tokens")))
                .isEqualByComparingTo("0.30");
    }

    private long rows(String table) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
