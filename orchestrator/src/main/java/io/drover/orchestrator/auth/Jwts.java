package io.drover.orchestrator.auth;

import io.drover.orchestrator.tenant.Tenant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

/**
 * Verifies JWTs of an identity provider: signed (RS256 or ES256) by the configured public key,
 * from the configured issuer, for Drover's audience, unexpired, naming a tenant and a role.
 */
final class Jwts {
    private final JwtConsumer consumer;
    private final String tenantClaim;
    private final String roleClaim;

    Jwts(PublicKey key, String issuer, String audience, String tenantClaim, String roleClaim) {
        this.consumer = new JwtConsumerBuilder().setVerificationKey(key).setExpectedIssuer(issuer)
                .setExpectedAudience(audience).setRequireExpirationTime().setAllowedClockSkewInSeconds(30)
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
                .build();
        this.tenantClaim = tenantClaim;
        this.roleClaim = roleClaim;
    }

    /** Whether {@code bearer} has a JWT's form (three base64url parts), rather than a Drover token's. */
    static boolean looksLikeOne(String bearer) {
        return bearer.chars().filter(c -> c == '.').count() == 2 && bearer.startsWith("eyJ");
    }

    /** The caller the JWT names; empty if it is not valid or names no valid tenant and role. */
    Optional<Caller> verify(String jwt) {
        try {
            JwtClaims claims = consumer.processToClaims(jwt);
            Object tenant = claims.getClaimValue(tenantClaim);
            Optional<Role> role = Optional.ofNullable(claims.getClaimValue(roleClaim)).filter(String.class::isInstance)
                    .flatMap(r -> Role.named((String) r));
            if (!(tenant instanceof String t) || !t.matches(Tenant.NAME) || role.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Caller(t, role.get(), null, false));
        } catch (InvalidJwtException e) {
            return Optional.empty();
        }
    }

    /** A public key from a PEM file ({@code BEGIN PUBLIC KEY}), RSA or EC. */
    static PublicKey publicKey(Path pem) {
        String text;
        try {
            text = Files.readString(pem);
        } catch (IOException e) {
            throw new IllegalStateException("drover.auth.jwt.public-key-location: cannot read " + pem + ": " + e.getMessage());
        }
        String body = text.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("drover.auth.jwt.public-key-location: " + pem + " is not a PEM public key");
        }
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next
            }
        }
        throw new IllegalStateException("drover.auth.jwt.public-key-location: " + pem
                + " holds neither an RSA nor an EC public key (expected -----BEGIN PUBLIC KEY-----)");
    }
}
