package io.drover.orchestrator.api;

import static io.drover.orchestrator.api.AuthTest.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.drover.orchestrator.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.Map;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

/** JWTs of an identity provider, signed here with a key the test made, as an alternative to Drover's tokens. */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class JwtTest {

    static String jwt(Map<String, Object> claims, float minutesToLive, PrivateKey key) throws Exception {
        JwtClaims c = new JwtClaims();
        c.setIssuer(PostgresResource.JWT_ISSUER);
        c.setAudience("drover");
        c.setExpirationTimeMinutesInTheFuture(minutesToLive);
        c.setIssuedAtToNow();
        c.setSubject("someone@example.test");
        claims.forEach(c::setClaim);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(c.toJson());
        jws.setKey(key);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }

    static String jwt(Map<String, Object> claims) throws Exception {
        return jwt(claims, 5, PostgresResource.JWT_KEYS.getPrivate());
    }

    @Test
    void a_valid_jwt_acts_for_its_tenant_and_role() throws Exception {
        String submit = jwt(Map.of("tenant", "idp-team", "role", "submit"));
        long id = as(submit).contentType("application/yaml")
                .body(JobApiTest.job("from-idp", "items: [a]", "true").getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/jobs").then().statusCode(201).extract().jsonPath().getLong("id");
        as(jwt(Map.of("tenant", "idp-team", "role", "read"))).get("/api/v1/jobs").then().statusCode(200)
                .body("items.id", hasItem((int) id));
        as(jwt(Map.of("tenant", "idp-other", "role", "read"))).get("/api/v1/jobs/" + id).then().statusCode(404);
        as(jwt(Map.of("tenant", "idp-other", "role", "read"))).get("/api/v1/jobs").then()
                .body("items.id", not(hasItem((int) id)));
        as(jwt(Map.of("tenant", "idp-team", "role", "read"))).post("/api/v1/jobs/" + id + "/cancel").then()
                .statusCode(403).body("detail", equalTo("this token's role is read; POST /api/v1/jobs/" + id
                        + "/cancel takes submit"));
    }

    @Test
    void an_expired_foreign_unsigned_or_incomplete_jwt_is_refused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        Map<String, Object> good = Map.of("tenant", "idp-team", "role", "read");
        for (String bad : new String[] {
                jwt(good, -5, PostgresResource.JWT_KEYS.getPrivate()),
                jwt(good, 5, generator.generateKeyPair().getPrivate()),
                jwt(Map.of("role", "read")),
                jwt(Map.of("tenant", "idp-team", "role", "root")),
                jwt(Map.of("tenant", "Not A Tenant", "role", "read")),
                unsigned(good)}) {
            as(bad).get("/api/v1/jobs").then().statusCode(401).body("type", equalTo("urn:drover:problem:unauthorized"));
        }
    }

    private static String unsigned(Map<String, Object> claims) throws Exception {
        String signed = jwt(claims);
        String[] parts = signed.split("\\.");
        String none = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        return none + "." + parts[1] + ".";
    }
}
