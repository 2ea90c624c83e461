package io.drover.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.drover.orchestrator.testing.PostgresResource;
import io.drover.orchestrator.testing.Sql;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Bearer tokens on every /api/v1 endpoint: 401 and 403 problems, roles, revocation, expiry, digests only. */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class AuthTest {
    @Inject
    DataSource dataSource;

    /** A token made with the admin token. */
    static String token(String tenant, String role) {
        return given().contentType("application/json").body(Map.of("tenant", tenant, "role", role, "name", "t"))
                .post("/api/v1/tokens").then().statusCode(201).extract().jsonPath().getString("token");
    }

    static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    @Test
    void without_a_valid_token_every_api_endpoint_answers_a_401_problem() {
        for (String path : new String[] {"/api/v1/jobs", "/api/v1/jobs/1", "/api/v1/schedules", "/api/v1/repos",
                "/api/v1/snapshots", "/api/v1/cost?label=team", "/api/v1/tokens", "/api/v1/tenants"}) {
            given().header("Authorization", "").get(path).then().statusCode(401)
                    .contentType("application/problem+json").header("WWW-Authenticate", "Bearer")
                    .body("type", equalTo("urn:drover:problem:unauthorized"))
                    .body("detail", containsString("Authorization: Bearer"));
            as("drv_not-a-token").get(path).then().statusCode(401)
                    .body("detail", containsString("unknown, expired or revoked"));
        }
        as("drv_not-a-token").contentType("application/yaml")
                .body(JobApiTest.job("no-auth", "items: [a]", "true").getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/jobs").then().statusCode(401);
        given().header("Authorization", "").get("/q/health").then().statusCode(200);
        given().header("Authorization", "").get("/q/metrics").then().statusCode(200);
    }

    @Test
    void roles_cover_reads_submits_and_administration() {
        String read = token("roles", "read");
        String submit = token("roles", "submit");
        String admin = token("roles", "admin");
        byte[] job = JobApiTest.job("roles", "items: [a]", "true").getBytes(StandardCharsets.UTF_8);

        as(read).get("/api/v1/jobs").then().statusCode(200);
        as(read).contentType("application/yaml").body(job).post("/api/v1/jobs").then().statusCode(403)
                .contentType("application/problem+json").body("type", equalTo("urn:drover:problem:forbidden"))
                .body("detail", equalTo("this token's role is read; POST /api/v1/jobs takes submit"));
        long id = as(submit).contentType("application/yaml").body(job).post("/api/v1/jobs").then().statusCode(201)
                .extract().jsonPath().getLong("id");
        as(read).get("/api/v1/jobs/" + id).then().statusCode(200).body("name", equalTo("roles"));
        as(submit).get("/api/v1/tokens").then().statusCode(403).body("detail", containsString("takes admin"));
        as(admin).get("/api/v1/tokens").then().statusCode(200).body("tenant", org.hamcrest.Matchers.everyItem(
                equalTo("roles")));
        as(admin).contentType("application/json").body(Map.of("role", "read")).post("/api/v1/tokens").then()
                .statusCode(201).body("tenant", equalTo("roles"));
        as(admin).contentType("application/json").body(Map.of("tenant", "other", "role", "read"))
                .post("/api/v1/tokens").then().statusCode(403).body("detail", containsString("own tenant (roles)"));
    }

    @Test
    void a_token_is_shown_once_stored_as_its_digest_and_ends_when_revoked_or_expired() throws Exception {
        JsonPath made = given().contentType("application/json")
                .body(Map.of("tenant", "lifecycle", "role", "read", "expiresIn", "30d")).post("/api/v1/tokens")
                .then().statusCode(201).body("token", startsWith("drv_")).body("expiresAt", org.hamcrest.Matchers
                        .notNullValue()).extract().jsonPath();
        String secret = made.getString("token");
        long id = made.getLong("id");
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(secret.getBytes(StandardCharsets.UTF_8)));
        assertThat(Sql.text(dataSource, "SELECT encode(token_sha256, 'hex') FROM api_token WHERE id = " + id))
                .isEqualTo(digest);
        assertThat(Sql.scalar(dataSource, "SELECT count(*) FROM api_token WHERE row_to_json(api_token)::text LIKE '%"
                + secret.substring(12) + "%'")).as("the secret is in no column").isZero();
        as(secret).get("/api/v1/tokens").then().statusCode(403);
        as(secret).get("/api/v1/jobs").then().statusCode(200);
        given().get("/api/v1/tokens").then().statusCode(200);
        as(token("lifecycle", "admin")).get("/api/v1/tokens").then().statusCode(200)
                .body("find { it.id == " + id + " }.prefix", equalTo(secret.substring(0, 12)))
                .body("find { it.id == " + id + " }.token", org.hamcrest.Matchers.nullValue());

        String expiring = token("lifecycle", "read");
        Sql.scalar(dataSource, "WITH e AS (UPDATE api_token SET expires_at = now() - interval '1 second'"
                + " WHERE prefix = '" + expiring.substring(0, 12) + "' RETURNING 1) SELECT count(*) FROM e");
        as(expiring).get("/api/v1/jobs").then().statusCode(401);

        given().delete("/api/v1/tokens/" + id).then().statusCode(404).body("detail", containsString("token " + id));
        String admin = token("lifecycle", "admin");
        as(admin).delete("/api/v1/tokens/" + id).then().statusCode(204);
        as(secret).get("/api/v1/jobs").then().statusCode(401);
        as(admin).delete("/api/v1/tokens/999999").then().statusCode(404);
    }

    @Test
    void bad_token_requests_name_the_field() {
        given().contentType("application/json").body(Map.of("tenant", "BAD NAME", "role", "root", "expiresIn", "soon",
                "colour", "red")).post("/api/v1/tokens").then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("colour", "tenant", "role", "expiresIn"));
        given().contentType("application/json").body("[]").post("/api/v1/tokens").then().statusCode(400)
                .body("errors[0].field", equalTo("body"));
        assertThat(Arrays.asList("admin", "submit", "read")).allSatisfy(role ->
                assertThat(token("roles-" + role, role)).startsWith("drv_"));
    }
}
