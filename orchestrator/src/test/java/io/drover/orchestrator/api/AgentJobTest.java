package io.drover.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.drover.orchestrator.llm.GatewayListener;
import io.drover.orchestrator.testing.PostgresResource;
import io.drover.orchestrator.testing.UpstreamResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** task.agent and the LLM gateway in a running server, with a stand-in upstream on loopback. */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = UpstreamResource.class, restrictToAnnotatedClass = false)
class AgentJobTest {
    private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Inject
    DataSource dataSource;
    @Inject
    GatewayListener gateway;

    /**
     * The agent (sh and curl on the worker) execs in its sandbox, sleeps past standbyAfter, calls the
     * gateway, then execs again; it prints its tokens so the test can try them once it has ended.
     */
    private static final String AGENT = """
            set -e
            echo "agent in $PWD, sandbox $DROVER_SANDBOX_URL"
            echo "tokens $DROVER_SANDBOX_TOKEN $OPENAI_API_KEY"
            exec_in_sandbox() {
              curl -sS -f -H "Authorization: Bearer $DROVER_SANDBOX_TOKEN" -H 'Content-Type: application/json' \\
                   -d "{\\"command\\": \\"$1\\"}" "$DROVER_SANDBOX_URL/exec"; echo
            }
            exec_in_sandbox 'echo from-sandbox-${item}; echo kept > note.txt'
            sleep 3
            echo "while waiting: $(curl -sS -f -H "Authorization: Bearer $DROVER_SANDBOX_TOKEN" "$DROVER_SANDBOX_URL")"
            echo "llm: $(curl -sS -f -H "Authorization: Bearer $OPENAI_API_KEY" -H 'Content-Type: application/json' \\
                 -d '%s' "$OPENAI_BASE_URL/chat/completions")"
            exec_in_sandbox 'cat note.txt'
            """.formatted(CHAT);

    @Test
    void an_agent_execs_in_its_sandbox_which_stands_by_while_it_waits_and_its_llm_calls_are_charged() throws Exception {
        String spec = """
                apiVersion: drover/v1
                kind: Job
                metadata: {name: agent}
                spec:
                  sandbox: {standbyAfter: 1s, resources: {memoryMb: 128}}
                  fanout: {items: [one]}
                  task:
                    agent: |
                %s
                    timeout: 2m
                """.formatted(AGENT.indent(6).stripTrailing());
        long id = JobApiTest.submit(spec);

        JsonPath job = JobApiTest.awaitEnd(id, Duration.ofSeconds(90));

        String log = given().get("/api/v1/jobs/" + id + "/subtasks/0/log").then().statusCode(200).extract().asString();
        assertThat(job.getString("state")).as(log).isEqualTo("SUCCEEDED");
        assertThat(log).contains("\"stdout\":\"from-sandbox-one\\n\"").contains("\"state\":\"STANDBY\"")
                .contains("\"content\":\"hello\"").contains("\"stdout\":\"kept\\n\"")
                .doesNotContain("agent in /workspace");
        long attemptId = single("SELECT id FROM attempt WHERE job_id = " + id);
        assertThat(rows("SELECT item FROM cost_line WHERE dimension = 'tokens' AND attempt_id = " + attemptId
                + " ORDER BY item")).containsExactly("gpt-4o-mini cached input", "gpt-4o-mini input", "gpt-4o-mini output");
        assertThat(rows("SELECT item FROM cost_line WHERE dimension = 'compute' AND attempt_id = " + attemptId))
                .as("the sandbox's meter charged its standby while the agent slept").contains("memory standby", "memory active");

        Matcher m = Pattern.compile("sandbox (\\S+)\\ntokens (\\S+) (\\S+)").matcher(log);
        assertThat(m.find()).as(log).isTrue();
        String sandboxUrl = m.group(1);
        given().header("Authorization", "Bearer " + m.group(2)).get(sandboxUrl).then()
                .statusCode(404);
        given().header("Authorization", "Bearer " + m.group(3)).contentType("application/json").body(CHAT)
                .post(gateway.hostUrl() + "/chat/completions").then().statusCode(401);
        assertThat(single("SELECT count(*) FROM attempt WHERE token_sha256 IS NOT NULL AND job_id = " + id)).isZero();
    }

    @Test
    void cancelling_an_agent_job_kills_the_agent_and_what_it_started_and_ends_its_sandbox() throws Exception {
        Path dir = Files.createTempDirectory("agent-cancel");
        Path mark = dir.resolve("started");
        long id = JobApiTest.submit("""
                metadata: {name: agent-cancel}
                spec:
                  fanout: {items: [one]}
                  task:
                    agent: 'sleep 300 & echo "$! $DROVER_SANDBOX_URL $DROVER_SANDBOX_TOKEN" > "$MARK.tmp"; mv "$MARK.tmp" "$MARK"; wait'
                    env: {MARK: '%s'}
                    timeout: 10m
                """.formatted(mark));
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(mark));
        String[] seen = Files.readString(mark).trim().split(" ");
        Files.delete(mark);
        Files.delete(dir);
        given().header("Authorization", "Bearer " + seen[2]).get(seen[1]).then().statusCode(200);

        given().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(202);

        assertThat(JobApiTest.awaitEnd(id, Duration.ofSeconds(30)).getString("state")).isEqualTo("CANCELLED");
        long child = Long.parseLong(seen[0]);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
        given().header("Authorization", "Bearer " + seen[2]).get(seen[1]).then().statusCode(404);
    }

    @Test
    void a_command_gets_its_gateway_token_and_address_and_the_agent_spec_is_checked() {
        long id = JobApiTest.submit(JobApiTest.job("gateway-env", "items: [a]",
                "echo \"url=$OPENAI_BASE_URL same=$([ \"$OPENAI_API_KEY\" = \"$DROVER_TOKEN\" ] && echo yes)\""
                        + " token=${DROVER_TOKEN:0:4}"
                        // from inside the sandbox, through its network's forward to the gateway's listener
                        + " with=$(curl -s -o /dev/null -w '%{http_code}' -H \"Authorization: Bearer $OPENAI_API_KEY\""
                        + " \"$OPENAI_BASE_URL/models\")"
                        + " without=$(curl -s -o /dev/null -w '%{http_code}' \"$OPENAI_BASE_URL/models\")"));
        JsonPath job = JobApiTest.awaitEnd(id, Duration.ofSeconds(60));
        assertThat(job.getString("state")).isEqualTo("SUCCEEDED");
        given().get("/api/v1/jobs/" + id + "/subtasks/0").then().body("outputTail",
                equalTo("url=http://127.0.0.1:4141/llm/v1 same=yes token=drv_ with=200 without=401\n"));

        given().contentType("application/yaml").body("""
                metadata: {name: both}
                spec: {fanout: {items: [a]}, task: {command: 'true', agent: 'true'}}
                """.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/v1/jobs").then().statusCode(400)
                .body("errors.field", hasItem("spec.task"));
    }

    @Test
    void an_exec_api_sandbox_may_call_the_gateway_and_its_tokens_show_in_metrics() {
        JsonPath opened = given().contentType("application/json").body(Map.of()).post("/api/v1/sandboxes")
                .then().statusCode(201).extract().jsonPath();
        String token = opened.getString("token");
        try {
            given().header("Authorization", "Bearer " + token).contentType("application/json")
                    .body("{\"model\":\"some-unpriced-model\",\"input\":\"x\"}")
                    .post(gateway.hostUrl() + "/embeddings").then().statusCode(200);
            given().header("Authorization", "Bearer nope").get(gateway.hostUrl() + "/models").then().statusCode(401);
            String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
            assertThat(metrics).contains("drover_llm_tokens_total{kind=\"input\",model=\"other\"}")
                    .contains("drover_llm_gateway_refusals_total{reason=\"unauthorized\"}")
                    .contains("drover_llm_gateway_latency_seconds_count{endpoint=\"embeddings\",status=\"200\"}");
            assertThat(UpstreamResource.upstream().received()).anyMatch(r -> r.path().equals("/v1/embeddings"));
        } finally {
            given().header("Authorization", "Bearer " + token).delete("/api/v1/sandboxes/" + opened.getString("id"));
        }
    }

    private long single(String sql) throws Exception {
        return Long.parseLong(rows(sql).get(0));
    }

    private List<String> rows(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
            return rows;
        }
    }
}
