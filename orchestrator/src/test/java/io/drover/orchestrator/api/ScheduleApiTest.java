package io.drover.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;

import io.drover.orchestrator.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class ScheduleApiTest {
    /** A cron that does not fire while the tests run: 03:00 on January 1st. */
    static final String YEARLY = "0 0 3 1 1 ?";

    @Inject
    DataSource dataSource;

    static String schedule(String name, String schedule, String command) {
        return """
                metadata: {name: %s}
                spec:
                  fanout: {items: [one]}
                  task: {command: '%s', timeout: 1m}
                  schedule: %s
                """.formatted(name, command, schedule);
    }

    static byte[] bytes(String yaml) {
        return yaml.getBytes(StandardCharsets.UTF_8);
    }

    static JsonPath post(String yaml, int status) {
        return given().contentType("application/yaml").body(bytes(yaml))
                .when().post("/api/v1/schedules").then().statusCode(status).extract().jsonPath();
    }

    @Test
    void invalid_cron_and_unknown_time_zone_are_problems_naming_the_fields() {
        given().contentType("application/yaml")
                .body(bytes(schedule("bad-schedule", "{cron: 'every minute', timeZone: Nowhere/Town, overlap: sometimes}", "true")))
                .post("/api/v1/schedules").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItems("spec.schedule.cron", "spec.schedule.timeZone", "spec.schedule.overlap"))
                .body("errors.find { it.field == 'spec.schedule.timeZone' }.message", containsString("Nowhere/Town"));
        given().contentType("application/yaml").body(bytes(schedule("unix-cron", "{cron: '*/5 * * * *'}", "true")))
                .post("/api/v1/schedules").then().statusCode(400)
                .body("errors[0].field", equalTo("spec.schedule.cron"))
                .body("errors[0].message", containsString("Quartz cron starts with seconds"));
        given().contentType("application/yaml").body(bytes(JobApiTest.job("no-schedule", "items: [a]", "true")))
                .post("/api/v1/schedules").then().statusCode(400)
                .body("errors[0].field", equalTo("spec.schedule"));
        given().contentType("application/yaml").body(bytes(schedule("to-jobs", "{cron: '" + YEARLY + "'}", "true")))
                .post("/api/v1/jobs").then().statusCode(400)
                .body("errors[0].field", equalTo("spec.schedule"))
                .body("errors[0].message", containsString("POST /api/v1/schedules"));
    }

    @Test
    void a_per_second_schedule_starts_jobs_that_record_their_schedule() throws Exception {
        long id = post(schedule("every-second", "{cron: '* * * * * ?', overlap: allow}", "echo tick"), 201).getLong("id");

        await().atMost(Duration.ofSeconds(10)).until(() ->
                given().get("/api/v1/schedules/" + id).jsonPath().get("lastJob") != null);

        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*), min(source) FROM job WHERE schedule_id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).as("jobs record their schedule").isPositive();
                assertThat(rs.getString(2)).isEqualTo("schedule");
            }
        }
        given().get("/api/v1/schedules/" + id + "/fires").then().body("outcome", hasItem("STARTED"))
                .body("trigger", hasItem("CRON"));
        given().delete("/api/v1/schedules/" + id).then().statusCode(204);
        given().get("/api/v1/schedules/" + id).then().statusCode(404);
    }

    @Test
    void forbid_skips_fires_while_the_previous_job_still_sleeps() {
        long id = post(schedule("forbid-sleep", "{cron: '* * * * * ?', overlap: forbid}", "sleep 30"), 201).getLong("id");

        await().atMost(Duration.ofSeconds(15)).until(() -> given().get("/api/v1/schedules/" + id + "/fires")
                .jsonPath().getList("outcome").contains("SKIPPED"));
        given().post("/api/v1/schedules/" + id + "/suspend").then().statusCode(200)
                .body("suspended", equalTo(true)).body("nextFireTimes", hasSize(0));

        JsonPath fires = given().get("/api/v1/schedules/" + id + "/fires").jsonPath();
        assertThat(fires.getList("outcome")).containsOnlyOnce("STARTED");
        long jobId = given().get("/api/v1/schedules/" + id).jsonPath().getLong("lastJob.id");
        assertThat(fires.getList("reason", String.class)).filteredOn(Objects::nonNull).isNotEmpty()
                .allMatch(reason -> reason.matches("job " + jobId + " is still (SUBMITTED|RUNNING) \\(overlap: forbid\\)"),
                        "a skip names the job still active, before or after its subtask is claimed");
        given().post("/api/v1/schedules/" + id + "/trigger").then().statusCode(409)
                .body("detail", containsString("overlap: forbid"));

        given().post("/api/v1/jobs/" + jobId + "/cancel").then().statusCode(202);
        JobApiTest.awaitEnd(jobId, Duration.ofSeconds(15));
        given().post("/api/v1/schedules/" + id + "/trigger").then().statusCode(201).body("outcome", equalTo("STARTED"));
        long second = given().get("/api/v1/schedules/" + id).jsonPath().getLong("lastJob.id");
        given().post("/api/v1/jobs/" + second + "/cancel").then().statusCode(202);
        JobApiTest.awaitEnd(second, Duration.ofSeconds(15));
        given().delete("/api/v1/schedules/" + id).then().statusCode(204);
    }

    @Test
    void a_schedule_is_listed_updated_suspended_resumed_and_triggered() {
        JsonPath created = post(schedule("yearly", "{cron: '" + YEARLY + "', timeZone: Europe/Paris, misfire: skip}",
                "echo yearly"), 201);
        long id = created.getLong("id");
        assertThat(created.getList("nextFireTimes")).hasSize(5);
        assertThat(created.getString("nextFireTimes[0]")).endsWith("T02:00:00Z");
        assertThat(created.getString("misfire")).isEqualTo("skip");
        given().get("/api/v1/schedules").then().body("id", hasItem((int) id));
        post(schedule("yearly", "{cron: '" + YEARLY + "'}", "true"), 409);

        given().contentType("application/yaml")
                .body(bytes(schedule("yearly", "{cron: '0 0 4 1 1 ?', overlap: replace}", "echo again")))
                .put("/api/v1/schedules/" + id).then().statusCode(200)
                .body("cron", equalTo("0 0 4 1 1 ?")).body("overlap", equalTo("replace"))
                .body("timeZone", equalTo("UTC"));
        given().post("/api/v1/schedules/" + id + "/suspend").then().body("nextFireTimes", hasSize(0));
        given().post("/api/v1/schedules/" + id + "/resume").then().body("suspended", equalTo(false))
                .body("nextFireTimes", hasSize(5));

        long jobId = given().post("/api/v1/schedules/" + id + "/trigger").then().statusCode(201)
                .extract().jsonPath().getLong("jobId");
        assertThat(JobApiTest.awaitEnd(jobId, Duration.ofSeconds(20)).getString("state")).isEqualTo("SUCCEEDED");
        given().get("/api/v1/schedules/" + id).then()
                .body("lastJob.id", equalTo((int) jobId)).body("lastJob.state", equalTo("SUCCEEDED"))
                .body("lastFire.trigger", equalTo("MANUAL"));
        given().delete("/api/v1/schedules/" + id).then().statusCode(204);
        given().get("/api/v1/schedules/" + id).then().statusCode(404);
    }
}
