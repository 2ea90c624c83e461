package io.drover.orchestrator.api;

import static io.drover.orchestrator.api.JobApiTest.awaitEnd;
import static io.drover.orchestrator.api.JobApiTest.submit;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.drover.orchestrator.testing.PostgresResource;
import io.drover.sandbox.BaseSpec;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class SnapshotApiTest {

    static String jobWithSetup(String name, String setup, String command) {
        return """
                apiVersion: drover/v1
                kind: Job
                metadata: {name: %s}
                spec:
                  sandbox:
                    setup: ['%s']
                  fanout:
                    items: [a, b]
                  task:
                    command: '%s'
                    timeout: 2m
                """.formatted(name, setup.replace("'", "''"), command.replace("'", "''"));
    }

    @Test
    void a_built_base_is_listed_with_its_size_build_time_last_use_and_the_jobs_that_used_it() {
        // A unique step: this test's base is its own, whatever other tests built.
        String setup = "echo " + UUID.randomUUID() + " > /workspace/marker";
        String hash = new BaseSpec("host", List.of(setup), Map.of()).hash();
        long first = submit(jobWithSetup("snap-1", setup, "cat marker"));
        assertThat(awaitEnd(first, Duration.ofSeconds(60)).getString("state")).isEqualTo("SUCCEEDED");
        long second = submit(jobWithSetup("snap-2", setup, "cat marker"));
        assertThat(awaitEnd(second, Duration.ofSeconds(60)).getString("state")).isEqualTo("SUCCEEDED");

        JsonPath listing = given().get("/api/v1/snapshots").then().statusCode(200).extract().jsonPath();
        Map<String, Object> listed = listing.getMap("items.find { it.hash == '" + hash + "' }");
        assertThat(listed).isNotNull().containsEntry("state", "READY").containsEntry("driver", "process");

        JsonPath one = given().get("/api/v1/snapshots/" + hash).then().statusCode(200).extract().jsonPath();
        assertThat(one.getString("state")).isEqualTo("READY");
        assertThat(one.getList("setup", String.class)).containsExactly(setup);
        assertThat(one.getLong("sizeBytes")).isEqualTo(37L); // a UUID and a newline
        assertThat(one.getLong("buildMs")).isPositive();
        assertThat(one.getString("createdAt")).isNotNull();
        assertThat(one.getString("readyAt")).isNotNull();
        assertThat(one.getString("lastUsedAt")).isNotNull();
        assertThat(one.getLong("users.jobs")).isEqualTo(2);
        assertThat(one.getList("users.latestJobIds", Long.class)).containsExactly(second, first);
        // One copy, on this process's node, built here and hashed for peers to verify.
        assertThat(one.getList("copies")).hasSize(1);
        assertThat(one.getString("copies[0].node")).isNotBlank();
        assertThat(one.getString("copies[0].state")).isEqualTo("READY");
        assertThat(one.getString("copies[0].contentHash")).startsWith("sha256:");
        assertThat(one.getLong("copies[0].buildMs")).isEqualTo(one.getLong("buildMs"));
        assertThat(one.getString("copies[0].fetchedFrom")).isNull();
    }

    @Test
    void a_failing_setup_fails_the_job_with_the_setup_exit_code_and_output_and_is_recorded_failed() {
        String setup = "echo fetching " + UUID.randomUUID() + "; echo registry unreachable >&2; exit 4";
        String hash = new BaseSpec("host", List.of(setup), Map.of()).hash();
        long id = submit(jobWithSetup("bad-setup", setup, "echo never runs"));

        JsonPath job = awaitEnd(id, Duration.ofSeconds(60));

        assertThat(job.getString("state")).isEqualTo("FAILED");
        assertThat(job.getInt("counts.FAILED")).isEqualTo(2);
        JsonPath subtask = given().get("/api/v1/jobs/" + id + "/subtasks/0").jsonPath();
        assertThat(subtask.getString("failure")).isEqualTo("setup-failed");
        assertThat(subtask.getInt("exitCode")).isEqualTo(4);
        assertThat(subtask.getInt("attempts")).isEqualTo(1);
        assertThat(subtask.getString("outputTail")).contains("fetching").contains("registry unreachable")
                .doesNotContain("never runs");
        given().get("/api/v1/snapshots/" + hash).then().statusCode(200)
                .body("state", equalTo("FAILED"))
                .body("error", containsString("registry unreachable"))
                .body("sizeBytes", equalTo(null))
                .body("users.jobs", equalTo(1));
    }

    @Test
    void an_unknown_snapshot_is_a_not_found_problem() {
        given().get("/api/v1/snapshots/" + "0".repeat(64)).then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:drover:problem:not-found"))
                .body("detail", containsString("0000"));
    }
}
