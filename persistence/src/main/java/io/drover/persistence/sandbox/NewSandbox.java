package io.drover.persistence.sandbox;

import java.time.Instant;

/**
 * A sandbox being recorded as its owner opens, lends or keeps it; {@code expiresAt} only for kept
 * ones. {@code tenant} is its base's.
 */
public record NewSandbox(String id, String owner, String driver, String baseHash, SandboxKind kind,
        byte[] tokenSha256, String state, Instant expiresAt, String tenant) {
}
