package io.drover.orchestrator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chart in helm/drover lints and renders what a multi-replica deployment on one shared database needs. */
class HelmChartTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String JDBC_URL = "jdbc:postgresql://postgres.db.svc:5432/drover";

    private final Helm helm = new Helm(chartDir());

    @Test
    void lint_passes() {
        LintResult result = helm.lint().strict().call();
        assertThat(result.isFailed()).as("%s", result.getMessages()).isFalse();
    }

    @Test
    void deployment_uses_the_external_database_and_the_requested_replicas() throws IOException {
        List<JsonNode> docs = render(template().set("replicaCount", 3).set("config.workerCapacity", 4));

        JsonNode deployment = kind(docs, "Deployment");
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(3);
        JsonNode container = deployment.at("/spec/template/spec/containers/0");
        assertThat(env(container, "QUARKUS_DATASOURCE_JDBC_URL").path("value").asText()).isEqualTo(JDBC_URL);
        assertThat(env(container, "QUARKUS_DATASOURCE_USERNAME").path("value").asText()).isEqualTo("drover");
        JsonNode password = env(container, "QUARKUS_DATASOURCE_PASSWORD").at("/valueFrom/secretKeyRef");
        assertThat(password.path("name").asText()).isEqualTo("drover-db");
        assertThat(password.path("key").asText()).isEqualTo("pg-password");
        assertThat(env(container, "DROVER_EMBEDDED_POSTGRES_ENABLED").path("value").asText()).isEqualTo("false");
        assertThat(env(container, "DROVER_DATA_DIR").path("value").asText()).isEqualTo("/var/lib/drover");

        assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
        assertThat(container.at("/securityContext/privileged").asBoolean()).isTrue();
        assertThat(container.at("/envFrom/0/configMapRef/name").asText()).isEqualTo("drover");
        assertThat(deployment.at("/spec/template/spec/terminationGracePeriodSeconds").asInt()).isGreaterThanOrEqualTo(30);
        assertThat(deployment.at("/spec/template/spec/volumes/0/emptyDir").isObject()).isTrue();

        assertThat(kind(docs, "ConfigMap").at("/data/DROVER_WORKER_CAPACITY").asText()).isEqualTo("4");
        assertThat(kind(docs, "Service").at("/spec/ports/0/port").asInt()).isEqualTo(8080);
        assertThat(kind(docs, "PodDisruptionBudget").at("/spec/selector/matchLabels"))
                .isEqualTo(deployment.at("/spec/selector/matchLabels"));
        assertThat(kind(docs, "ServiceAccount")).isNotNull();
        assertThat(docs).noneMatch(d -> d.path("kind").asText().equals("Ingress"));
    }

    @Test
    void unprivileged_sandboxes_on_host_paths_get_one_directory_per_pod_and_an_ingress() throws IOException {
        List<JsonNode> docs = render(template().set("sandbox.privileged", false)
                .set("sandbox.dataDir.type", "hostPath").set("ingress.enabled", true));
        JsonNode spec = kind(docs, "Deployment").at("/spec/template/spec");
        JsonNode container = spec.at("/containers/0");
        assertThat(container.at("/securityContext/privileged").isMissingNode()).isTrue();
        assertThat(container.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(container.at("/volumeMounts/0/subPathExpr").asText()).isEqualTo("$(POD_NAME)");
        assertThat(spec.at("/volumes/0/hostPath/path").asText()).isEqualTo("/var/lib/drover");
        assertThat(kind(docs, "Ingress").at("/spec/rules/0/http/paths/0/backend/service/name").asText()).isEqualTo("drover");
    }

    @Test
    void the_llm_gateways_upstream_and_its_key_secret_reach_the_pods() throws IOException {
        List<JsonNode> docs = render(template().set("llm.upstreamBaseUrl", "https://api.openai.com/v1")
                .set("llm.existingSecret", "openai"));

        assertThat(kind(docs, "ConfigMap").at("/data/DROVER_LLM_UPSTREAM_BASE_URL").asText())
                .isEqualTo("https://api.openai.com/v1");
        JsonNode key = env(kind(docs, "Deployment").at("/spec/template/spec/containers/0"), "DROVER_LLM_UPSTREAM_API_KEY")
                .at("/valueFrom/secretKeyRef");
        assertThat(key.path("name").asText()).isEqualTo("openai");
        assertThat(key.path("key").asText()).isEqualTo("api-key");
        assertThat(kind(render(template()), "ConfigMap").at("/data").has("DROVER_LLM_UPSTREAM_BASE_URL")).isFalse();
        assertThatThrownBy(() -> template().set("llm.upstreamBaseUrl", "api.openai.com").call())
                .hasMessageContaining("upstreamBaseUrl");
    }

    @Test
    void a_release_without_a_database_is_refused() {
        assertThatThrownBy(() -> helm.template().withName("drover").set("database.existingSecret", "drover-db").call())
                .hasMessageContaining("database.url is required");
    }

    @Test
    void the_schema_rejects_a_non_postgresql_url() {
        assertThatThrownBy(() -> template().set("database.url", "jdbc:mysql://db/drover").call())
                .hasMessageContaining("database.url");
    }

    private TemplateCommand template() {
        return helm.template().withName("drover").withNamespace("batch")
                .set("database.url", JDBC_URL)
                .set("database.existingSecret", "drover-db")
                .set("database.passwordKey", "pg-password");
    }

    private static List<JsonNode> render(TemplateCommand command) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (var it = YAML.readerFor(JsonNode.class).readValues(command.call())) {
            while (it.hasNext()) {
                JsonNode doc = (JsonNode) it.next();
                if (doc != null && doc.has("kind")) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    private static JsonNode kind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> d.path("kind").asText().equals(kind)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " rendered"));
    }

    private static JsonNode env(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) {
            if (e.path("name").asText().equals(name)) {
                return e;
            }
        }
        throw new AssertionError(name + " not in env " + container.path("env"));
    }

    /** Tests run in orchestrator/; the chart lives at the project root. */
    private static Path chartDir() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path chart = dir.resolve("helm/drover");
            if (Files.isRegularFile(chart.resolve("Chart.yaml"))) {
                return chart;
            }
        }
        throw new IllegalStateException("helm/drover/Chart.yaml not found above " + Path.of("").toAbsolutePath());
    }
}
