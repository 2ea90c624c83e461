package io.drover.orchestrator.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.orchestrator.testing.PostgresResource;
import io.drover.orchestrator.testing.Sql;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every hostile spec of the corpus ({@link HostileSpecs}) is refused with a 4xx problem naming the
 * field or the limit; none gets a 5xx, none writes a row, and the server answers normally after.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class HostileSpecTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TABLES = List.of("job", "subtask", "attempt", "cost_line", "base_snapshot",
            "schedule");

    @Inject
    DataSource dataSource;

    @Test
    @Timeout(300)
    void every_hostile_spec_gets_a_4xx_problem_naming_the_field_and_writes_nothing() throws Exception {
        List<HostileSpecs.Case> corpus = HostileSpecs.all();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(500);
        Map<String, Long> before = rows();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Map<Integer, Integer> byStatus = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        long slowestMs = 0;
        String slowest = "";

        for (HostileSpecs.Case c : corpus) {
            long started = System.nanoTime();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + RestAssured.port + "/api/v1/jobs"))
                    .header("Content-Type", c.contentType()).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + PostgresResource.ADMIN_TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(c.body())).build(),
                    HttpResponse.BodyHandlers.ofString());
            long ms = (System.nanoTime() - started) / 1_000_000;
            if (ms > slowestMs) {
                slowestMs = ms;
                slowest = c.name();
            }
            byStatus.merge(response.statusCode(), 1, Integer::sum);
            String problem = verdict(c, response);
            if (problem != null) {
                wrong.add(c.name() + ": " + problem);
            }
        }

        System.out.printf("hostile specs: %d cases; by status %s; slowest %d ms (%s)%n", corpus.size(), byStatus,
                slowestMs, slowest);
        assertThat(wrong).as("cases not refused as they should be").isEmpty();
        assertThat(rows()).as("rows written by refused specs").isEqualTo(before);
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + RestAssured.port + "/q/health/live")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
    }

    /** Null when the answer is right: a 4xx problem naming the case's field or limit. */
    private static String verdict(HostileSpecs.Case c, HttpResponse<String> response) {
        int status = response.statusCode();
        if (status < 400 || status >= 500) {
            return "status " + status + " " + abbreviated(response.body());
        }
        JsonNode problem;
        try {
            problem = JSON.readTree(response.body());
        } catch (Exception e) {
            return "status " + status + " without a problem body: " + abbreviated(response.body());
        }
        if (!problem.path("type").asText().startsWith("urn:drover:problem:") || problem.path("status").asInt() != status) {
            return "not a problem body: " + abbreviated(response.body());
        }
        if (c.names() == null) {
            return null;
        }
        boolean named = problem.path("detail").asText().contains(c.names());
        for (JsonNode error : problem.path("errors")) {
            named |= error.path("field").asText().startsWith(c.names())
                    || c.names().startsWith(error.path("field").asText() + ".")
                    || c.names().equals(error.path("field").asText());
        }
        return named ? null : "does not name " + c.names() + ": " + abbreviated(response.body());
    }

    private static String abbreviated(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }

    private Map<String, Long> rows() throws Exception {
        Map<String, Long> rows = new TreeMap<>();
        for (String table : TABLES) {
            rows.put(table, Sql.scalar(dataSource, "SELECT count(*) FROM " + table));
        }
        return rows;
    }
}
