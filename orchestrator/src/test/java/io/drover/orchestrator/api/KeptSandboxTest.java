package io.drover.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;

import io.drover.orchestrator.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** spec.sandbox.keepOnFailure: a failed attempt's sandbox stays, reachable through the exec API, for a while. */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class KeptSandboxTest {
    private static final Pattern KEPT = Pattern.compile("POST \\S+/api/v1/sandboxes/(\\S+)/exec with 'Authorization: Bearer (\\S+)'");

    private static String spec(String name, String keep, String command) {
        return """
                metadata: {name: %s}
                spec:
                  fanout: {items: [a, b]}
                  sandbox: {keepOnFailure: %s}
                  task: {command: '%s'}
                """.formatted(name, keep, command);
    }

    /** The subtask's sandbox id and token, from what its output says. */
    private static String[] kept(long job, int index) {
        String tail = given().get("/api/v1/jobs/" + job + "/subtasks/" + index).jsonPath().getString("outputTail");
        Matcher m = KEPT.matcher(tail);
        assertThat(m.find()).as("output %s", tail).isTrue();
        return new String[] {m.group(1), m.group(2)};
    }

    @Test
    void a_failed_subtask_leaves_its_sandbox_for_inspection_and_a_succeeded_one_does_not() {
        long job = JobApiTest.submit(spec("keep", "10m",
                "echo clue-${item} > /workspace/clue.txt; [ ${item} = a ]"));
        assertThat(JobApiTest.awaitEnd(job, Duration.ofSeconds(60)).getString("state")).isEqualTo("FAILED");

        String[] sandbox = kept(job, 1);
        String out = given().contentType("application/json").header("Authorization", "Bearer " + sandbox[1])
                .body(Map.of("command", "cat clue.txt")).post("/api/v1/sandboxes/" + sandbox[0] + "/exec")
                .then().statusCode(200).extract().jsonPath().getString("stdout");
        assertThat(out).isEqualTo("clue-b\n");
        assertThat(given().get("/api/v1/jobs/" + job + "/subtasks/0").jsonPath().getString("outputTail"))
                .doesNotContain("kept for inspection");

        given().header("Authorization", "Bearer " + sandbox[1]).delete("/api/v1/sandboxes/" + sandbox[0]).then().statusCode(204);
        given().header("Authorization", "Bearer " + sandbox[1]).get("/api/v1/sandboxes/" + sandbox[0]).then().statusCode(404);
    }

    @Test
    void a_kept_sandbox_goes_when_its_time_is_up() {
        long job = JobApiTest.submit(spec("keep-briefly", "1s", "[ ${item} = a ]"));
        JobApiTest.awaitEnd(job, Duration.ofSeconds(60));
        String[] sandbox = kept(job, 1);

        await().atMost(Duration.ofSeconds(30)).until(() -> given().header("Authorization", "Bearer " + sandbox[1])
                .get("/api/v1/sandboxes/" + sandbox[0]).statusCode() == 404);
    }

    @Test
    void keep_on_failure_must_be_a_duration_within_a_day() {
        given().contentType("application/yaml").body(spec("bad-keep", "2d", "true").getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/v1/jobs")
                .then().statusCode(400).body("errors.field", hasItem("spec.sandbox.keepOnFailure"));
    }
}
