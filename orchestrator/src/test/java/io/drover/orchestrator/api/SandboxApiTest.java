package io.drover.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.drover.orchestrator.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.RestAssured;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class SandboxApiTest {

    private static JsonPath open(Map<String, Object> body) {
        return given().contentType("application/json").body(body).post("/api/v1/sandboxes")
                .then().statusCode(201).extract().jsonPath();
    }

    private static JsonPath exec(String id, String token, String command) {
        return given().contentType("application/json").header("Authorization", "Bearer " + token)
                .body(Map.of("command", command)).post("/api/v1/sandboxes/" + id + "/exec")
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void an_agent_execs_commands_in_its_own_sandbox_which_keeps_its_files_between_calls() {
        JsonPath opened = open(Map.of("resources", Map.of("memoryMb", 128)));
        String id = opened.getString("id");
        String token = opened.getString("token");

        JsonPath first = exec(id, token, "echo out; echo err >&2; echo kept > note.txt; exit 3");
        assertThat(first.getInt("exitCode")).isEqualTo(3);
        assertThat(first.getString("stdout")).isEqualTo("out\n");
        assertThat(first.getString("stderr")).isEqualTo("err\n");
        assertThat(exec(id, token, "cat note.txt").getString("stdout")).isEqualTo("kept\n");

        given().header("Authorization", "Bearer " + token).delete("/api/v1/sandboxes/" + id).then().statusCode(204);
        given().header("Authorization", "Bearer " + token).get("/api/v1/sandboxes/" + id).then().statusCode(404);
    }

    @Test
    void an_idle_sandbox_stands_by_and_the_next_exec_resumes_it_with_its_files() {
        JsonPath opened = open(Map.of("standbyAfter", "1s"));
        String id = opened.getString("id");
        String token = opened.getString("token");
        exec(id, token, "echo before > state.txt");

        await().atMost(Duration.ofSeconds(15)).until(() -> "STANDBY".equals(given()
                .header("Authorization", "Bearer " + token).get("/api/v1/sandboxes/" + id).jsonPath().getString("state")));

        assertThat(exec(id, token, "cat state.txt").getString("stdout")).isEqualTo("before\n");
        JsonPath status = given().header("Authorization", "Bearer " + token).get("/api/v1/sandboxes/" + id).jsonPath();
        assertThat(status.getLong("standbyMs")).isPositive();
        given().header("Authorization", "Bearer " + token).delete("/api/v1/sandboxes/" + id).then().statusCode(204);
    }

    @Test
    void a_sandbox_answers_only_to_its_token() {
        JsonPath opened = open(Map.of());
        String id = opened.getString("id");
        given().contentType("application/json").body(Map.of("command", "true"))
                .post("/api/v1/sandboxes/" + id + "/exec").then().statusCode(401)
                .contentType("application/problem+json");
        given().contentType("application/json").header("Authorization", "Bearer wrong")
                .body(Map.of("command", "true")).post("/api/v1/sandboxes/" + id + "/exec").then().statusCode(401);
        given().contentType("application/json").header("Authorization", "Bearer " + opened.getString("token"))
                .body(Map.of("timeout", "soon")).post("/api/v1/sandboxes/" + id + "/exec").then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItems("command", "timeout"));
        given().get("/api/v1/sandboxes/nope").then().statusCode(404);
        given().header("Authorization", "Bearer " + opened.getString("token")).delete("/api/v1/sandboxes/" + id)
                .then().statusCode(204);
    }

    @Test
    void a_sandbox_opens_from_a_snapshot_hash_with_the_files_its_setup_made() {
        JsonPath first = open(Map.of("setup", java.util.List.of("echo from-setup > /workspace/made.txt")));
        String hash = first.getString("base");
        given().header("Authorization", "Bearer " + first.getString("token")).delete("/api/v1/sandboxes/"
                + first.getString("id")).then().statusCode(204);

        JsonPath again = open(Map.of("snapshot", hash));

        assertThat(again.getString("base")).isEqualTo(hash);
        assertThat(exec(again.getString("id"), again.getString("token"), "cat made.txt").getString("stdout"))
                .isEqualTo("from-setup\n");
        given().header("Authorization", "Bearer " + again.getString("token")).delete("/api/v1/sandboxes/"
                + again.getString("id")).then().statusCode(204);
        given().contentType("application/json").body(Map.of("snapshot", "0".repeat(64))).post("/api/v1/sandboxes")
                .then().statusCode(400).body("errors[0].field", equalTo("snapshot"));
    }

    @Test
    void an_exec_streams_its_output_as_it_comes_then_its_exit_code() throws Exception {
        JsonPath opened = open(Map.of());
        String id = opened.getString("id");
        String token = opened.getString("token");
        HttpRequest request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port
                        + "/api/v1/sandboxes/" + id + "/exec"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .header("Accept", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"command\": \"echo first; echo oops >&2; sleep 2; printf 'caf\\\\303\\\\251'; exit 4\"}"))
                .build();

        List<String> lines = new ArrayList<>();
        List<Long> arrivals = new ArrayList<>();
        HttpResponse<java.util.stream.Stream<String>> response = HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/x-ndjson"));
        response.body().forEach(line -> {
            lines.add(line);
            arrivals.add(System.nanoTime());
        });

        List<JsonPath> events = lines.stream().map(JsonPath::from).toList();
        int first = lines.indexOf("{\"stdout\":\"first\\n\"}");
        assertThat(first).as("events %s", lines).isIn(0, 1); // stdout and stderr come through separate pipes
        assertThat(events.stream().map(e -> e.getString("stderr")).filter(java.util.Objects::nonNull))
                .containsExactly("oops\n");
        assertThat(events.get(events.size() - 2).getString("stdout")).isEqualTo("caf\u00e9");
        JsonPath end = events.get(events.size() - 1);
        assertThat(end.getInt("exitCode")).isEqualTo(4);
        assertThat(end.getString("termination")).isEqualTo("EXITED");
        // the first line reached the caller while the command was still sleeping
        assertThat(arrivals.get(arrivals.size() - 1) - arrivals.get(first)).isGreaterThan(Duration.ofMillis(1500).toNanos());
        given().header("Authorization", "Bearer " + token).delete("/api/v1/sandboxes/" + id).then().statusCode(204);
    }
}
