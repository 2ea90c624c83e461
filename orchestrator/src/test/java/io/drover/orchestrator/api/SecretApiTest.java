package io.drover.orchestrator.api;

import static io.drover.orchestrator.api.AuthTest.as;
import static io.drover.orchestrator.api.AuthTest.token;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Secrets: made, replaced, listed and deleted per tenant, encrypted at rest, given to tasks, never shown. */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class SecretApiTest {
    @Inject
    DataSource dataSource;

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void make(String name, String value) {
        given().contentType("application/json").body(Map.of("name", name, "value", value))
                .post("/api/v1/secrets").then().statusCode(201);
    }

    @Test
    void a_secret_is_made_listed_replaced_and_deleted_and_its_value_is_never_answered() throws Exception {
        String name = unique("db-password");
        String value = "plain-" + UUID.randomUUID();
        String made = given().contentType("application/json").body(Map.of("name", name, "value", value))
                .post("/api/v1/secrets").then().statusCode(201)
                .header("Location", endsWith("/api/v1/secrets/" + name))
                .body("name", equalTo(name)).body("createdAt", notNullValue()).body("updatedAt", notNullValue())
                .body("value", nullValue()).extract().asString();
        assertThat(made).doesNotContain(value);
        given().contentType("application/json").body(Map.of("name", name, "value", "other"))
                .post("/api/v1/secrets").then().statusCode(409);
        String list = given().get("/api/v1/secrets").then().statusCode(200).body("name", hasItem(name))
                .extract().asString();
        assertThat(list).doesNotContain(value).doesNotContain("\"value\"");
        assertThat(storedPlaintext(value)).as("rows of secret holding the value or its bytes").isZero();

        String replaced = "plain-" + UUID.randomUUID();
        given().contentType("application/json").body(Map.of("value", replaced)).put("/api/v1/secrets/" + name)
                .then().statusCode(200).body("name", equalTo(name)).body("value", nullValue());
        assertThat(storedPlaintext(replaced)).isZero();

        given().delete("/api/v1/secrets/" + name).then().statusCode(204);
        given().get("/api/v1/secrets").then().body("name", not(hasItem(name)));
        given().delete("/api/v1/secrets/" + name).then().statusCode(404);
        given().contentType("application/json").body(Map.of("value", "x")).put("/api/v1/secrets/" + name)
                .then().statusCode(404);
    }

    @Test
    void another_tenants_secret_answers_404_and_is_not_listed() {
        String acme = token("acme-secrets", "submit");
        String globex = token("globex-secrets", "submit");
        as(acme).contentType("application/json").body(Map.of("name", "shared", "value", "acme-value"))
                .post("/api/v1/secrets").then().statusCode(201);
        as(globex).contentType("application/json").body(Map.of("value", "stolen")).put("/api/v1/secrets/shared")
                .then().statusCode(404).body("type", equalTo("urn:drover:problem:not-found"));
        as(globex).delete("/api/v1/secrets/shared").then().statusCode(404);
        as(globex).get("/api/v1/secrets").then().statusCode(200).body("name", not(hasItem("shared")));
        // Names are per tenant: the other tenant may have its own of the same name.
        as(globex).contentType("application/json").body(Map.of("name", "shared", "value", "globex-value"))
                .post("/api/v1/secrets").then().statusCode(201);
        as(acme).get("/api/v1/secrets").then().body("name", hasItem("shared"));
        as(token("acme-secrets", "read")).contentType("application/json")
                .body(Map.of("name", "by-reader", "value", "v4lue")).post("/api/v1/secrets").then().statusCode(403);
    }

    @Test
    void bad_fields_answer_400_problems_naming_each_field() {
        given().contentType("application/json").body(Map.of("name", "-bad name", "value", "v", "colour", "red"))
                .post("/api/v1/secrets").then().statusCode(400)
                .body("errors.field", containsInAnyOrder("name", "colour"));
        given().contentType("application/json").body(Map.of("name", "no-value"))
                .post("/api/v1/secrets").then().statusCode(400).body("errors.field", containsInAnyOrder("value"));
        given().contentType("application/json").body(Map.of("name", "big", "value", "x".repeat(64 * 1024 + 1)))
                .post("/api/v1/secrets").then().statusCode(400).body("errors[0].field", equalTo("value"));
        given().contentType("application/json").body(Map.of("name", "a".repeat(64), "value", "v"))
                .post("/api/v1/secrets").then().statusCode(400).body("errors[0].field", equalTo("name"));
        given().contentType("application/json").body("[]").post("/api/v1/secrets").then().statusCode(400)
                .body("errors[0].field", equalTo("body"));
        make("put-target", "v4lue");
        given().contentType("application/json").body(Map.of("value", 5)).put("/api/v1/secrets/put-target")
                .then().statusCode(400).body("errors[0].field", equalTo("value"));
    }

    @Test
    @Timeout(180)
    void a_task_gets_secrets_as_env_and_as_file_and_its_output_and_rows_show_only_their_names() throws Exception {
        String password = "pw-" + UUID.randomUUID();
        String key = "key-" + UUID.randomUUID();
        String passwordName = unique("db-password");
        String keyName = unique("tls-key");
        make(passwordName, password);
        make(keyName, key);
        String spec = """
                apiVersion: drover/v1
                kind: Job
                metadata: {name: with-secrets}
                spec:
                  fanout: {items: [a]}
                  task:
                    command: |
                      echo "env: $DB_PASSWORD"
                      echo "file: $(cat /tmp/tls.key) mode $(stat -c %%a /tmp/tls.key)"
                      test -z "$DROVER_SECRET_FILE_1" && echo "private variable unset"
                    timeout: 2m
                    secrets:
                      - {name: %s, env: DB_PASSWORD}
                      - {name: %s, file: /tmp/tls.key}
                """.formatted(passwordName, keyName);
        long id = JobApiTest.submit(spec);
        JsonPath job = JobApiTest.awaitEnd(id, Duration.ofSeconds(120));
        String log = given().get("/api/v1/jobs/" + id + "/subtasks/0/log").then().statusCode(200).extract().asString();
        assertThat(job.getString("state")).as(log).isEqualTo("SUCCEEDED");
        String expected = "env: [redacted:" + passwordName + "]\nfile: [redacted:" + keyName + "] mode 600\n"
                + "private variable unset\n";
        assertThat(log).isEqualTo(expected);
        given().get("/api/v1/jobs/" + id + "/subtasks/0").then().body("outputTail", equalTo(expected));
        String answered = given().get("/api/v1/jobs/" + id).asString()
                + given().get("/api/v1/jobs/" + id + "/subtasks").asString()
                + given().get("/api/v1/jobs/" + id + "/cost").asString();
        assertThat(answered).doesNotContain(password).doesNotContain(key);

        String storedSpec = query("SELECT spec::text FROM job WHERE id = ?", id);
        assertThat(storedSpec).contains(passwordName, keyName, "DB_PASSWORD", "/tmp/tls.key")
                .doesNotContain(password).doesNotContain(key);
        for (String table : List.of("job", "subtask", "attempt", "base_snapshot", "cost_line")) {
            for (String value : List.of(password, key)) {
                assertThat(count("SELECT count(*) FROM " + table + " t WHERE row_to_json(t)::text LIKE ?",
                        "%" + value + "%")).as("rows of " + table + " holding a secret's value").isZero();
            }
        }
    }

    @Test
    @Timeout(240)
    void a_replaced_value_applies_from_the_next_attempt_and_a_deleted_secret_fails_it_as_secret_missing() {
        String name = unique("rotated");
        make(name, "first-value");
        String spec = """
                apiVersion: drover/v1
                kind: Job
                metadata: {name: rotated-secret}
                spec:
                  fanout: {items: [a]}
                  task:
                    command: 'echo "bytes $(printf %%s "$TOKEN" | wc -c)"; exit 3'
                    secrets: [{name: %s, env: TOKEN}]
                """.formatted(name);
        long id = JobApiTest.submit(spec);
        assertThat(JobApiTest.awaitEnd(id, Duration.ofSeconds(120)).getString("state")).isEqualTo("FAILED");
        given().get("/api/v1/jobs/" + id + "/subtasks/0/log").then().body(equalTo("bytes 11\n"));

        given().contentType("application/json").body(Map.of("value", "the-second-value")).put("/api/v1/secrets/" + name)
                .then().statusCode(200);
        given().post("/api/v1/jobs/" + id + "/subtasks/0/retry").then().statusCode(202);
        awaitAttemptEnded(id, 2);
        given().get("/api/v1/jobs/" + id + "/subtasks/0").then().body("outputTail", equalTo("bytes 16\n"));

        given().delete("/api/v1/secrets/" + name).then().statusCode(204);
        given().post("/api/v1/jobs/" + id + "/subtasks/0/retry").then().statusCode(202);
        awaitAttemptEnded(id, 3);
        given().get("/api/v1/jobs/" + id + "/subtasks/0").then().body("failure", equalTo("secret-missing"));
    }

    @Test
    @Timeout(240)
    void setup_secrets_reach_the_setup_only_stay_out_of_the_base_its_hash_and_rows_and_are_redacted() throws Exception {
        String name = unique("registry-token");
        String value = "tok-" + UUID.randomUUID();
        make(name, value);
        String spec = """
                apiVersion: drover/v1
                kind: Job
                metadata: {name: setup-secrets}
                spec:
                  sandbox:
                    setup:
                      - 'test "$REGISTRY_TOKEN" = "$(cat /tmp/registry/token)" && echo "setup saw $REGISTRY_TOKEN"'
                      - 'echo built %s > /workspace/built'
                    setupSecrets:
                      - {name: %s, env: REGISTRY_TOKEN}
                      - {name: %s, file: /tmp/registry/token}
                  fanout: {items: [a]}
                  task:
                    command: 'cat /workspace/built; test -e /tmp/registry/token || echo "no file"; echo "[$REGISTRY_TOKEN]"'
                """.formatted(name, name, name);
        long id = JobApiTest.submit(spec);
        JsonPath job = JobApiTest.awaitEnd(id, Duration.ofSeconds(180));
        String log = given().get("/api/v1/jobs/" + id + "/subtasks/0/log").then().statusCode(200).extract().asString();
        assertThat(job.getString("state")).as(log).isEqualTo("SUCCEEDED");
        assertThat(log).isEqualTo("built " + name + "\nno file\n[]\n");
        String hash = query("SELECT base_hash FROM job WHERE id = ?", id);
        assertThat(query("SELECT spec::text FROM base_snapshot WHERE hash = ?", hash)).contains(name, "REGISTRY_TOKEN");
        for (String table : List.of("job", "base_snapshot", "base_copy", "base_build", "cost_line")) {
            assertThat(count("SELECT count(*) FROM " + table + " t WHERE row_to_json(t)::text LIKE ?", "%" + value + "%"))
                    .as("rows of " + table + " holding the value").isZero();
        }

        // A new value is no new base: the same spec starts from the base already built.
        given().contentType("application/json").body(Map.of("value", "another-" + value)).put("/api/v1/secrets/" + name)
                .then().statusCode(200);
        long again = JobApiTest.submit(spec);
        assertThat(JobApiTest.awaitEnd(again, Duration.ofSeconds(120)).getString("state")).isEqualTo("SUCCEEDED");
        assertThat(query("SELECT base_hash FROM job WHERE id = ?", again)).isEqualTo(hash);
        assertThat(count("SELECT count(*) FROM base_build WHERE base_hash = ?", hash)).isEqualTo(1);

        String failing = spec.replace("echo built", "echo \"leaking $REGISTRY_TOKEN\"; exit 4; echo built");
        long failed = JobApiTest.submit(failing);
        assertThat(JobApiTest.awaitEnd(failed, Duration.ofSeconds(120)).getString("state")).isEqualTo("FAILED");
        String failedLog = given().get("/api/v1/jobs/" + failed + "/subtasks/0/log").asString();
        assertThat(failedLog).contains("leaking [redacted:" + name + "]").doesNotContain("another-" + value);
        given().get("/api/v1/jobs/" + failed + "/subtasks/0").then().body("failure", equalTo("setup-failed"));
        assertThat(count("SELECT count(*) FROM base_copy t WHERE row_to_json(t)::text LIKE ?", "%another-" + value + "%"))
                .isZero();

        // Deleted since: the base cannot be built, and the retry says which secret is missing.
        given().delete("/api/v1/secrets/" + name).then().statusCode(204);
        given().post("/api/v1/jobs/" + failed + "/subtasks/0/retry").then().statusCode(202);
        awaitAttemptEnded(failed, 2);
        given().get("/api/v1/jobs/" + failed + "/subtasks/0").then().body("failure", equalTo("secret-missing"));
        assertThat(given().get("/api/v1/jobs/" + failed + "/subtasks/0/log").asString())
                .contains(name, "spec.sandbox.setupSecrets");
    }

    @Test
    void setup_secrets_the_tenant_has_not_are_refused_naming_the_field() {
        given().contentType("application/yaml").body("""
                apiVersion: drover/v1
                kind: Job
                metadata: {name: missing-setup-secret}
                spec:
                  sandbox:
                    setup: ['true']
                    setupSecrets: [{name: absent-setup-secret, env: TOKEN}]
                  fanout: {items: [a]}
                  task: {command: 'true'}
                """.getBytes(StandardCharsets.UTF_8)).post("/api/v1/jobs")
                .then().statusCode(400).body("errors.field", containsInAnyOrder("spec.sandbox.setupSecrets[0].name"));
        given().contentType("application/json").body(Map.of("setup", List.of("true"),
                "setupSecrets", List.of(Map.of("name", "absent-setup-secret", "file", "/workspace/token"))))
                .post("/api/v1/sandboxes").then().statusCode(400)
                .body("errors.field", containsInAnyOrder("setupSecrets[0].file"));
        given().contentType("application/json").body(Map.of("setup", List.of("true"),
                "setupSecrets", List.of(Map.of("name", "absent-setup-secret", "env", "TOKEN"))))
                .post("/api/v1/sandboxes").then().statusCode(400)
                .body("errors.field", containsInAnyOrder("setupSecrets[0].name"));
    }

    @Test
    void a_spec_naming_a_secret_the_tenant_has_not_is_refused_naming_the_field_and_stores_no_job() throws Exception {
        make("present-secret", "v4lue-present");
        long before = count("SELECT count(*) FROM job");
        String spec = """
                apiVersion: drover/v1
                kind: Job
                metadata: {name: missing-secret}
                spec:
                  fanout: {items: [a]}
                  task:
                    command: 'true'
                    secrets:
                      - {name: present-secret, env: PRESENT}
                      - {name: absent-secret, env: ABSENT}
                """;
        given().contentType("application/yaml").body(spec.getBytes(StandardCharsets.UTF_8)).post("/api/v1/jobs")
                .then().statusCode(400).body("type", equalTo("urn:drover:problem:invalid-spec"))
                .body("errors.field", containsInAnyOrder("spec.task.secrets[1].name"));
        // Another tenant's secret of that name is no secret of this one.
        as(token("other-secrets", "submit")).contentType("application/yaml")
                .body(spec.getBytes(StandardCharsets.UTF_8)).post("/api/v1/jobs").then().statusCode(400)
                .body("errors.field", containsInAnyOrder("spec.task.secrets[0].name", "spec.task.secrets[1].name"));
        assertThat(count("SELECT count(*) FROM job")).isEqualTo(before);
    }

    private static void awaitAttemptEnded(long job, int attempt) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonPath subtask = given().get("/api/v1/jobs/" + job + "/subtasks/0").jsonPath();
            return subtask.getInt("attempts") == attempt && "FAILED".equals(subtask.getString("state"));
        });
    }

    /** Rows of secret whose text or ciphertext holds {@code value}. */
    private long storedPlaintext(String value) throws Exception {
        return count("SELECT count(*) FROM secret s WHERE row_to_json(s)::text LIKE '%' || ? || '%'"
                + " OR position(convert_to(?, 'UTF8') in s.ciphertext) > 0", value, value);
    }

    private long count(String sql, Object... args) throws Exception {
        return Long.parseLong(query(sql, args));
    }

    private String query(String sql, Object... args) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getString(1);
            }
        }
    }
}
