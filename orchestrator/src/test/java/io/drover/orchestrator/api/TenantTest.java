package io.drover.orchestrator.api;

import static io.drover.orchestrator.api.AuthTest.as;
import static io.drover.orchestrator.api.AuthTest.token;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.awaitility.Awaitility.await;

import io.drover.orchestrator.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tenants: another tenant's objects do not exist for a caller, bases are per tenant, quotas refuse with 429. */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class TenantTest {

    private static byte[] job(String name) {
        return JobApiTest.job(name, "items: [a, b]", "echo ${item}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void another_tenants_jobs_schedules_and_repos_answer_404_and_lists_show_only_ones_own() {
        String acme = token("acme", "submit");
        String globex = token("globex", "admin");
        long id = as(acme).contentType("application/yaml").body(job("acme-job")).post("/api/v1/jobs").then()
                .statusCode(201).extract().jsonPath().getLong("id");
        await().atMost(Duration.ofSeconds(60)).until(() ->
                !List.of("SUBMITTED", "RUNNING").contains(as(acme).get("/api/v1/jobs/" + id).jsonPath().getString("state")));
        as(acme).get("/api/v1/jobs/" + id).then().statusCode(200).body("state", equalTo("SUCCEEDED"));
        for (String path : List.of("", "/subtasks", "/subtasks/0", "/subtasks/0/log", "/cost")) {
            as(globex).get("/api/v1/jobs/" + id + path).then().statusCode(404)
                    .body("type", equalTo("urn:drover:problem:not-found"));
        }
        for (String path : List.of("/cancel", "/retry", "/subtasks/0/retry", "/subtasks/0/cancel")) {
            as(globex).post("/api/v1/jobs/" + id + path).then().statusCode(404);
        }
        as(globex).get("/api/v1/jobs").then().statusCode(200).body("items.id", not(hasItem((int) id)));
        as(acme).get("/api/v1/jobs").then().body("items.id", hasItem((int) id));
        given().get("/api/v1/jobs/" + id).then().statusCode(404);

        // Idempotency keys are per tenant: the same key in another tenant is another job.
        long keyed = as(acme).contentType("application/yaml").header("Idempotency-Key", "k-1").body(job("keyed"))
                .post("/api/v1/jobs").then().statusCode(201).extract().jsonPath().getLong("id");
        long other = as(token("globex", "submit")).contentType("application/yaml").header("Idempotency-Key", "k-1")
                .body(job("keyed")).post("/api/v1/jobs").then().statusCode(201).extract().jsonPath().getLong("id");
        assertThat(other).isNotEqualTo(keyed);

        String schedule = """
                apiVersion: drover/v1
                kind: Job
                metadata: {name: nightly}
                spec:
                  schedule: {cron: '0 0 3 1 1 ? 2099'}
                  fanout: {items: [a]}
                  task: {command: 'true'}
                """;
        long sid = as(acme).contentType("application/yaml").body(schedule.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/schedules").then().statusCode(201).extract().jsonPath().getLong("id");
        // Names are per tenant too.
        long gid = as(globex).contentType("application/yaml").body(schedule.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/schedules").then().statusCode(201).extract().jsonPath().getLong("id");
        for (String path : List.of("", "/fires", "/cost")) {
            as(globex).get("/api/v1/schedules/" + sid + path).then().statusCode(404);
        }
        as(globex).post("/api/v1/schedules/" + sid + "/trigger").then().statusCode(404);
        as(globex).delete("/api/v1/schedules/" + sid).then().statusCode(404);
        as(globex).get("/api/v1/schedules").then().body("id", not(hasItem((int) sid))).body("id", hasItem((int) gid));
        as(acme).delete("/api/v1/schedules/" + sid).then().statusCode(204);
        as(globex).delete("/api/v1/schedules/" + gid).then().statusCode(204);
        as(globex).get("/api/v1/repos/1").then().statusCode(404);
    }

    @Test
    void the_same_base_in_two_tenants_is_two_snapshots_each_seen_only_by_its_tenant() {
        Map<String, Object> body = Map.of("driver", "process", "setup", List.of("echo tenant-base > /workspace/b"));
        String acme = token("base-acme", "submit");
        String globex = token("base-globex", "submit");
        var a = as(acme).contentType("application/json").body(body).post("/api/v1/sandboxes").then().statusCode(201)
                .extract().jsonPath();
        var g = as(globex).contentType("application/json").body(body).post("/api/v1/sandboxes").then()
                .statusCode(201).extract().jsonPath();
        assertThat(a.getString("base")).isNotEqualTo(g.getString("base"));
        as(acme).get("/api/v1/snapshots").then().body("items.hash", hasItem(a.getString("base")))
                .body("items.hash", not(hasItem(g.getString("base"))));
        as(globex).get("/api/v1/snapshots/" + a.getString("base")).then().statusCode(404);
        as(globex).contentType("application/json").body(Map.of("snapshot", a.getString("base")))
                .post("/api/v1/sandboxes").then().statusCode(400).body("errors[0].field", equalTo("snapshot"));
        for (var s : List.of(a, g)) {
            given().header("Authorization", "Bearer " + s.getString("token")).delete("/api/v1/sandboxes/"
                    + s.getString("id")).then().statusCode(204);
        }
    }

    @Test
    void quotas_refuse_with_a_429_problem_and_retry_after() {
        given().contentType("application/json").body(Map.of("submitsPerMinute", 2, "maxOpenSandboxes", 1))
                .put("/api/v1/tenants/limited").then().statusCode(200).body("submitsPerMinute", equalTo(2));
        String limited = token("limited", "admin");
        as(limited).put("/api/v1/tenants/limited").then().statusCode(403);
        as(limited).get("/api/v1/tenants/limited").then().statusCode(200).body("maxOpenSandboxes", equalTo(1));
        as(limited).get("/api/v1/tenants/default").then().statusCode(404);
        for (int i = 0; i < 2; i++) {
            as(limited).contentType("application/yaml").body(job("rate-" + i)).post("/api/v1/jobs").then()
                    .statusCode(201);
        }
        String retryAfter = as(limited).contentType("application/yaml").body(job("rate-2")).post("/api/v1/jobs")
                .then().statusCode(429).contentType("application/problem+json")
                .body("type", equalTo("urn:drover:problem:submit-rate"))
                .body("detail", containsString("may submit 2 jobs a minute")).extract().header("Retry-After");
        assertThat(Integer.parseInt(retryAfter)).isBetween(1, 60);

        var open = as(limited).contentType("application/json").body(Map.of("driver", "process"))
                .post("/api/v1/sandboxes").then().statusCode(201).extract().jsonPath();
        as(limited).contentType("application/json").body(Map.of("driver", "process")).post("/api/v1/sandboxes")
                .then().statusCode(429).body("type", equalTo("urn:drover:problem:sandbox-quota"))
                .header("Retry-After", equalTo("5"));
        given().header("Authorization", "Bearer " + open.getString("token"))
                .delete("/api/v1/sandboxes/" + open.getString("id")).then().statusCode(204);

        given().contentType("application/json").body(Map.of("monthlyBudgetUsd", 0)).put("/api/v1/tenants/broke")
                .then().statusCode(200);
        as(token("broke", "submit")).contentType("application/yaml").body(job("broke")).post("/api/v1/jobs").then()
                .statusCode(429).body("type", equalTo("urn:drover:problem:monthly-budget"))
                .body("detail", containsString("monthly budget of 0 USD"));
        given().contentType("application/json").body(Map.of("maxRunningSubtasks", -1, "colour", 1))
                .put("/api/v1/tenants/bad").then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("maxRunningSubtasks", "colour"));
    }
}
