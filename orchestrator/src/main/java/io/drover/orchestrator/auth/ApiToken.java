package io.drover.orchestrator.auth;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

/** A bearer token of the API, as stored: only the SHA-256 of its secret (V14 {@code api_token}). */
@Entity
@Table(name = "api_token")
public class ApiToken extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String tenant;
    @Enumerated(EnumType.STRING)
    public Role role;
    public String name;
    public String prefix;
    @Column(name = "token_sha256")
    public byte[] tokenSha256;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "expires_at")
    public Instant expiresAt;
    @Column(name = "revoked_at")
    public Instant revokedAt;

    static Optional<ApiToken> withDigest(byte[] sha256) {
        return find("tokenSha256", sha256).firstResultOptional();
    }

    boolean validAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }
}
