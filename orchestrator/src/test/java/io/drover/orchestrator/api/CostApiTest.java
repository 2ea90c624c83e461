package io.drover.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.drover.orchestrator.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Budgets that stop running work, a job's share of its base, and cost over a schedule's runs and a label. */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class CostApiTest {

    private static JsonPath json(String path) {
        return JsonPath.from(given().get(path).then().statusCode(200).extract().asString())
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
    }

    @Test
    void with_on_exceeded_stop_running_a_job_over_budget_stops_its_running_subtask_and_ends_budget_exceeded() {
        long id = JobApiTest.submit("""
                apiVersion: drover/v1
                kind: Job
                metadata: {name: stop-running}
                spec:
                  fanout: {items: [spend, wait, later]}
                  task:
                    command: |
                      if [ ${item} = spend ]; then
                        sleep 2
                        echo '{"type":"llm","model":"gpt-4o-mini","inputTokens":1000000}' >> $DROVER_USAGE
                      else
                        sleep 120
                      fi
                  concurrency: 2
                  budget: {maxCostUsd: 0.10, onExceeded: stop-running}
                """);

        JsonPath job = JobApiTest.awaitEnd(id, Duration.ofSeconds(60));

        assertThat(job.getString("state")).isEqualTo("BUDGET_EXCEEDED");
        assertThat(job.getInt("counts.SUCCEEDED")).isEqualTo(1);
        assertThat(job.getInt("counts.CANCELLED")).as("the running one stopped, the last never started").isEqualTo(2);
        given().get("/api/v1/jobs/" + id + "/subtasks/1").then()
                .body("state", equalTo("CANCELLED"))
                .body("failure", equalTo("budget-exceeded"));
    }

    @Test
    void a_jobs_report_shows_its_base_and_its_share_in_the_total_and_the_cost_per_succeeded_subtask() {
        String marker = UUID.randomUUID().toString().substring(0, 8);
        long id = JobApiTest.submit("""
                apiVersion: drover/v1
                kind: Job
                metadata: {name: shared-base}
                spec:
                  sandbox:
                    setup: ['echo %s > /workspace/base.txt']
                  fanout: {items: [a, b]}
                  task: {command: 'cat /workspace/base.txt'}
                """.formatted(marker));
        JobApiTest.awaitEnd(id, Duration.ofSeconds(60));

        JsonPath cost = json("/api/v1/jobs/" + id + "/cost");

        assertThat(cost.getInt("shared.builds")).isEqualTo(1);
        assertThat(cost.getLong("shared.subtasksUsingBase")).as("a new base: this job's subtasks only").isEqualTo(2);
        assertThat(cost.getLong("shared.jobSubtasksUsingBase")).isEqualTo(2);
        BigDecimal setup = new BigDecimal(cost.getString("shared.setupUsd"));
        assertThat(setup).as("the setup ran in a metered sandbox").isPositive();
        assertThat(new BigDecimal(cost.getString("shared.setupShareUsd"))).isEqualByComparingTo(setup);
        BigDecimal ledger = new BigDecimal(cost.getString("ledgerUsd"));
        BigDecimal total = new BigDecimal(cost.getString("totalUsd"));
        assertThat(total).isEqualByComparingTo(ledger.add(new BigDecimal(cost.getString("shared.setupShareUsd")))
                .add(new BigDecimal(cost.getString("shared.storageShareUsd"))));
        assertThat(new BigDecimal(cost.getString("costPerSucceededSubtaskUsd")))
                .isEqualByComparingTo(total.divide(BigDecimal.valueOf(2), 12, java.math.RoundingMode.HALF_EVEN));
    }

    @Test
    void a_schedules_cost_lists_its_runs_newest_first_with_their_trend_by_id_or_name() {
        String name = "nightly-" + UUID.randomUUID().toString().substring(0, 8);
        long schedule = ScheduleApiTest.post(ScheduleApiTest.schedule(name, "{cron: '" + ScheduleApiTest.YEARLY + "'}",
                "echo ''{\"type\":\"llm\",\"model\":\"gpt-4o-mini\",\"inputTokens\":1000000}'' >> $DROVER_USAGE"),
                201).getLong("id");
        long first = given().post("/api/v1/schedules/" + schedule + "/trigger").then().statusCode(201)
                .extract().jsonPath().getLong("jobId");
        JobApiTest.awaitEnd(first, Duration.ofSeconds(30));
        long second = given().post("/api/v1/schedules/" + schedule + "/trigger").then().statusCode(201)
                .extract().jsonPath().getLong("jobId");
        JobApiTest.awaitEnd(second, Duration.ofSeconds(30));

        JsonPath cost = json("/api/v1/schedules/" + schedule + "/cost?last=5");

        assertThat(cost.getString("name")).isEqualTo(name);
        assertThat(cost.getList("runs.jobId", Long.class)).containsExactly(second, first);
        assertThat(cost.getList("runs.state", String.class)).containsOnly("SUCCEEDED");
        assertThat(new BigDecimal(cost.getString("runs[0].costPerSucceededSubtaskUsd")))
                .as("one subtask: 1M tokens at 0.15 plus its sandbox").isGreaterThan(new BigDecimal("0.15"));
        assertThat(cost.getInt("trend.runs")).isEqualTo(2);
        assertThat(cost.getString("trend.slopePerRunUsd")).isNotNull();
        assertThat(json("/api/v1/schedules/" + name + "/cost?last=1").getList("runs.jobId", Long.class))
                .containsExactly(second);
        given().get("/api/v1/schedules/" + schedule + "/cost?last=0").then().statusCode(400)
                .body("errors[0].field", equalTo("last"));
        given().get("/api/v1/schedules/no-such-schedule/cost").then().statusCode(404);
    }

    @Test
    void cost_by_label_sums_each_value_over_the_window_and_tags_the_metrics() {
        String team = "t" + UUID.randomUUID().toString().substring(0, 8);
        long id = JobApiTest.submit("""
                apiVersion: drover/v1
                kind: Job
                metadata: {name: labelled, labels: {team: %s}}
                spec:
                  fanout: {items: [a, b]}
                  task:
                    command: |
                      echo '{"type":"llm","model":"gpt-4o-mini","inputTokens":1000000}' >> $DROVER_USAGE
                """.formatted(team));
        JobApiTest.awaitEnd(id, Duration.ofSeconds(30));

        JsonPath cost = json("/api/v1/cost/by-label/team?since=1h");

        List<Map<String, Object>> values = cost.getList("values");
        Map<String, Object> mine = values.stream().filter(v -> team.equals(v.get("value"))).findFirst().orElseThrow();
        assertThat(((Number) mine.get("jobs")).intValue()).isEqualTo(1);
        assertThat(((Number) mine.get("succeededSubtasks")).intValue()).isEqualTo(2);
        assertThat(new BigDecimal(mine.get("totalUsd").toString())).isGreaterThan(new BigDecimal("0.30"));
        assertThat(json("/api/v1/cost?label=team&since=1h").getList("values.value", String.class)).contains(team);
        given().get("/api/v1/cost/by-label/team?since=yesterday").then().statusCode(400)
                .body("errors[0].field", equalTo("since"));
        given().get("/api/v1/cost").then().statusCode(400).body("errors[0].field", equalTo("label"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(given().get("/q/metrics").asString())
                .contains("drover_cost_usd_total{dimension=\"tokens\",team=\"" + team + "\""));
    }

    static byte[] bytes(String yaml) {
        return yaml.getBytes(StandardCharsets.UTF_8);
    }
}
