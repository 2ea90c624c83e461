package io.drover.orchestrator.testing;

import io.drover.persistence.embedded.EmbeddedPostgresServer;
import io.drover.persistence.testing.TestDatabases;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.restassured.RestAssured;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;

/**
 * A real embedded PostgreSQL (one empty database for the test run), a private data directory, and
 * the admin token ({@link #ADMIN_TOKEN}) that every REST Assured request sends unless it sets its
 * own Authorization header.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {
    /** The admin token of the tests' Drover: an admin of the tenant {@code default}. */
    public static final String ADMIN_TOKEN = "drover-test-admin-token";
    /** The issuer of the JWTs the tests sign with {@link #JWT_KEYS}, whose public key Drover is given. */
    public static final String JWT_ISSUER = "https://issuer.drover.test";
    public static final java.security.KeyPair JWT_KEYS = rsaKeys();
    private Path dataDir;

    @Override
    public Map<String, String> start() {
        EmbeddedPostgresServer server = TestDatabases.server();
        String database = "drover_quarkus_" + ProcessHandle.current().pid();
        try (Connection c = server.dataSource(EmbeddedPostgresServer.DATABASE).getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
            // Searchable by others, so that sandboxes reach their root directly (see docs/sandboxes.md, RootDoor).
            dataDir = Files.createTempDirectory("drover-test-data", java.nio.file.attribute.PosixFilePermissions
                    .asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x")));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RestAssured.filters((request, response, ctx) -> {
            if (!request.getHeaders().hasHeaderWithName("Authorization")) {
                request.header("Authorization", "Bearer " + ADMIN_TOKEN);
            }
            return ctx.next(request, response);
        });
        Path jwtKey = dataDir.resolve("jwt-public.pem");
        try {
            Files.writeString(jwtKey, "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder()
                    .encodeToString(JWT_KEYS.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "drover.admin-token", ADMIN_TOKEN,
                "drover.auth.jwt.public-key-location", jwtKey.toString(),
                "drover.auth.jwt.issuer", JWT_ISSUER,
                "quarkus.datasource.jdbc.url", server.jdbcUrl(database),
                "quarkus.datasource.username", EmbeddedPostgresServer.USER,
                "drover.data-dir", dataDir.toString());
    }

    private static java.security.KeyPair rsaKeys() {
        try {
            java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (dataDir != null) {
            try (var files = Files.walk(dataDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
