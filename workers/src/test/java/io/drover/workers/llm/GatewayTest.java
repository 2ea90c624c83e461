package io.drover.workers.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.persistence.Database;
import io.drover.persistence.attempt.AttemptOutcome;
import io.drover.persistence.attempt.AttemptResult;
import io.drover.persistence.attempt.AttemptStore;
import io.drover.persistence.attempt.AttemptTokens;
import io.drover.persistence.job.JobStore;
import io.drover.persistence.job.NewJob;
import io.drover.persistence.subtask.ClaimedSubtask;
import io.drover.persistence.subtask.SubtaskStore;
import io.drover.persistence.testing.TestDatabases;
import io.drover.workers.cost.CostListener;
import io.drover.workers.cost.ModelPrice;
import io.drover.workers.cost.PriceTable;
import io.drover.workers.testing.UpstreamStandIn;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway on its own listener, a real database, and a stand-in upstream on loopback. */
class GatewayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final Map<String, Long> tokensByModel = new ConcurrentHashMap<>();
    private final PriceTable prices = withEmbeddingPrice(PriceTable.defaults());
    private Database db;
    private AttemptTokens tokens;
    private UpstreamStandIn upstream;
    private GatewayServer server;

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabases.fresh();
        tokens = new AttemptTokens(db);
        upstream = new UpstreamStandIn();
        server = start(Optional.of(new Upstream(URI.create(upstream.baseUrl()), Optional.of(UpstreamStandIn.KEY),
                Duration.ofSeconds(30))));
    }

    @AfterEach
    void tearDown() {
        server.close();
        upstream.close();
    }

    @Test
    void a_chat_completion_is_forwarded_with_the_upstream_key_and_its_tokens_are_charged_to_the_attempt()
            throws Exception {
        ClaimedSubtask attempt = runningAttempt(null);
        LlmAccess.Grant grant = grants().grant(attempt.attemptId());
        String token = grant.env(true).get("OPENAI_API_KEY");

        HttpResponse<String> response = post(server, "/chat/completions", token, CHAT + "}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).at("/choices/0/message/content").asText()).isEqualTo("hello");
        UpstreamStandIn.Received received = upstream.received().get(0);
        assertThat(received.path()).isEqualTo("/v1/chat/completions");
        assertThat(received.authorization()).as("the caller's token never reaches the upstream")
                .isEqualTo("Bearer " + UpstreamStandIn.KEY);
        assertThat(lines(attempt.attemptId())).containsExactly(
                "gpt-4o-mini cached input 0.0002 0.075 0.000015",
                "gpt-4o-mini input 0.001 0.15 0.00015",
                "gpt-4o-mini output 0.0003 0.6 0.00018");
        assertThat(tokensByModel).containsEntry("gpt-4o-mini input", 1000L).containsEntry("gpt-4o-mini output", 300L);
        assertThat(grant.env(true)).containsKeys("DROVER_TOKEN", "DROVER_LLM_URL")
                .containsEntry("OPENAI_BASE_URL", server.url());
    }

    @Test
    void a_stream_gets_usage_asked_for_on_its_behalf_and_the_usage_chunk_is_not_passed_on() throws Exception {
        ClaimedSubtask attempt = runningAttempt(null);
        String token = grants().grant(attempt.attemptId()).env(true).get("DROVER_TOKEN");

        HttpResponse<String> response = post(server, "/chat/completions", token, CHAT + ",\"stream\":true}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<String> data = dataLines(response.body());
        assertThat(data).hasSize(3).last().isEqualTo("[DONE]");
        assertThat(data).noneMatch(d -> d.contains("\"usage\":{")).noneMatch(d -> d.contains("\"choices\":[]"));
        assertThat(upstream.received().get(0).body().at("/stream_options/include_usage").asBoolean())
                .as("the gateway asked the upstream for usage").isTrue();
        assertThat(lines(attempt.attemptId())).hasSize(3).contains("gpt-4o-mini output 0.0003 0.6 0.00018");
    }

    @Test
    void a_stream_whose_caller_asked_for_usage_keeps_its_usage_chunk() throws Exception {
        ClaimedSubtask attempt = runningAttempt(null);
        String token = grants().grant(attempt.attemptId()).env(true).get("DROVER_TOKEN");

        HttpResponse<String> response = post(server, "/chat/completions", token,
                CHAT + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");

        List<String> data = dataLines(response.body());
        assertThat(data).hasSize(4);
        assertThat(JSON.readTree(data.get(2)).at("/usage/completion_tokens").asLong()).isEqualTo(300);
        assertThat(lines(attempt.attemptId())).hasSize(3);
    }

    @Test
    void embeddings_are_charged_as_input_tokens_and_the_model_list_is_passed_through() throws Exception {
        ClaimedSubtask attempt = runningAttempt(null);
        String token = grants().grant(attempt.attemptId()).env(true).get("DROVER_TOKEN");

        HttpResponse<String> embedded = post(server, "/embeddings", token,
                "{\"model\":\"text-embedding-3-small\",\"input\":\"hello\"}");
        HttpResponse<String> models = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/models"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(embedded.statusCode()).isEqualTo(200);
        assertThat(lines(attempt.attemptId())).containsExactly("text-embedding-3-small input 0.00005 0.02 0.000001");
        assertThat(models.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(models.body()).at("/data/0/id").asText()).isEqualTo("gpt-4o-mini");
    }

    @Test
    void an_unknown_revoked_or_ended_attempts_token_is_refused_401_without_reaching_the_upstream() throws Exception {
        ClaimedSubtask attempt = runningAttempt(null);
        LlmAccess.Grant grant = grants().grant(attempt.attemptId());
        String token = grant.env(true).get("DROVER_TOKEN");
        assertThat(post(server, "/chat/completions", token, CHAT + "}").statusCode()).isEqualTo(200);

        HttpResponse<String> unknown = post(server, "/chat/completions", "drv_not-a-token", CHAT + "}");
        HttpResponse<String> none = post(server, "/chat/completions", null, CHAT + "}");
        grant.close();
        HttpResponse<String> revoked = post(server, "/chat/completions", token, CHAT + "}");

        ClaimedSubtask other = runningAttempt(null);
        String otherToken = grants().grant(other.attemptId()).env(true).get("DROVER_TOKEN");
        new AttemptStore(db).complete(new AttemptResult(other.attemptId(), other.subtaskId(), other.version(),
                AttemptOutcome.SUCCEEDED, null, 0, 10, null, null, "", Optional.empty()));
        HttpResponse<String> ended = post(server, "/chat/completions", otherToken, CHAT + "}");

        for (HttpResponse<String> refused : List.of(unknown, none, revoked, ended)) {
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(JSON.readTree(refused.body()).at("/error/code").asText()).isEqualTo("invalid_api_key");
        }
        assertThat(upstream.received()).hasSize(1);
        assertThat(refusals).containsOnly("unauthorized").hasSize(4);
    }

    @Test
    void a_subtask_that_reached_its_budget_is_refused_402_and_its_job_stops() throws Exception {
        ClaimedSubtask attempt = runningAttempt(new BigDecimal("0.0003"));
        String token = grants().grant(attempt.attemptId()).env(true).get("DROVER_TOKEN");

        assertThat(post(server, "/chat/completions", token, CHAT + "}").statusCode()).isEqualTo(200);
        HttpResponse<String> refused = post(server, "/chat/completions", token, CHAT + "}");

        assertThat(refused.statusCode()).isEqualTo(402);
        JsonNode error = JSON.readTree(refused.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("budget_exceeded");
        assertThat(error.get("message").asText()).contains("spec.budget.maxCostPerSubtaskUsd").contains("0.0003");
        assertThat(upstream.received()).hasSize(1);
        assertThat(refusals).containsExactly("budget");
        assertThat(query("SELECT budget_exceeded::text FROM job WHERE id = " + attempt.jobId())).containsExactly("true");
    }

    @Test
    void without_an_upstream_calls_are_answered_503_naming_the_setting() throws Exception {
        GatewayServer unconfigured = start(Optional.empty());
        try {
            ClaimedSubtask attempt = runningAttempt(null);
            String token = grants().grant(attempt.attemptId()).env(true).get("DROVER_TOKEN");
            HttpResponse<String> response = post(unconfigured, "/chat/completions", token, CHAT + "}");
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(response.body()).at("/error/message").asText())
                    .contains("drover.llm.upstream.base-url");
        } finally {
            unconfigured.close();
        }
    }

    @Test
    void a_path_the_gateway_does_not_serve_is_404_and_a_body_that_is_not_json_is_400() throws Exception {
        ClaimedSubtask attempt = runningAttempt(null);
        String token = grants().grant(attempt.attemptId()).env(true).get("DROVER_TOKEN");
        assertThat(post(server, "/files", token, "{}").statusCode()).isEqualTo(404);
        assertThat(post(server, "/chat/completions", token, "not json").statusCode()).isEqualTo(400);
        assertThat(upstream.received()).isEmpty();
    }

    private GatewayServer start(Optional<Upstream> up) {
        GatewayMetrics metrics = new GatewayMetrics() {
            @Override
            public void call(String endpoint, int status, long nanos) {
            }

            @Override
            public void tokens(String model, String kind, long count) {
                tokensByModel.merge(model + " " + kind, count, Long::sum);
            }

            @Override
            public void refused(String reason) {
                refusals.add(reason);
            }
        };
        GatewayLedger ledger = new GatewayLedger(tokens, () -> prices, CostListener.NONE, metrics);
        return GatewayServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4,
                new GatewayHandler(up, CallerLookup.attempts(tokens), ledger, metrics));
    }

    private AttemptGrants grants() {
        return new AttemptGrants(tokens, server::url, server::url);
    }

    /** A claimed subtask of a new two-subtask job: its attempt is RUNNING. */
    private ClaimedSubtask runningAttempt(BigDecimal maxCostPerSubtask) {
        JobStore jobs = new JobStore(db);
        NewJob job = new NewJob("llm", "{}", "{}", "{}", "test", Optional.empty(), "",
                new NewJob.Dispatch(null, 0, 1, false, null, maxCostPerSubtask), null, null, null);
        long jobId = jobs.insert(job).id();
        jobs.expand(jobId, List.of("{}", "{}"));
        return new SubtaskStore(db).claim("w", 1).get(0);
    }

    private HttpResponse<String> post(GatewayServer target, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.url() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> dataLines(String sse) {
        List<String> data = new ArrayList<>();
        sse.lines().filter(l -> l.startsWith("data: ")).forEach(l -> data.add(l.substring(6)));
        return data;
    }

    private static PriceTable withEmbeddingPrice(PriceTable base) {
        Map<String, ModelPrice> models = new HashMap<>(base.models());
        models.put("text-embedding-3-small", ModelPrice.of("0.02", "0.02", "0"));
        return new PriceTable(base.memoryGibSecond(), base.vcpuSecond(), base.standbyGibSecond(),
                base.storageGibSecond(), models, base.toolCalls(), base.toolCallDefault(), base.networkEgressGib());
    }

    /** "item quantity unit-price amount", sorted by item, numbers without trailing zeros. */
    private List<String> lines(long attemptId) throws Exception {
        return query("SELECT item || ' ' || trim_scale(quantity) || ' ' || trim_scale(unit_price_usd) || ' '"
                + " || trim_scale(amount_usd) FROM cost_line WHERE dimension = 'tokens' AND attempt_id = " + attemptId
                + " ORDER BY item");
    }

    private List<String> query(String sql) throws Exception {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
            return rows;
        }
    }
}
