package io.drover.persistence.sandbox;

import java.security.MessageDigest;
import java.time.Instant;

/**
 * A sandbox of the exec API as the database knows it.
 *
 * @param owner       the instance the sandbox lives in (its id in the instance table)
 * @param tokenSha256 the SHA-256 of its bearer token; the token itself is never stored
 * @param state       the state its owner last saw, or {@link #LOST} when it went away with its owner
 * @param expiresAt   when a kept sandbox is released; null for the others
 * @param closedAt    when it was closed or found lost; null while it is open
 */
public record SandboxRecord(String id, String owner, String driver, String baseHash, SandboxKind kind,
        byte[] tokenSha256, String state, Instant openedAt, Instant expiresAt, Instant closedAt) {
    /** The state of a sandbox whose owner stopped or died while it was open. */
    public static final String LOST = "LOST";
    /** The state of a sandbox closed by its owner. */
    public static final String CLOSED = "CLOSED";

    public boolean open() {
        return closedAt == null;
    }

    public boolean lost() {
        return LOST.equals(state);
    }

    /** Whether {@code sha256} is the digest of this sandbox's token, in constant time. */
    public boolean tokenMatches(byte[] sha256) {
        return sha256 != null && MessageDigest.isEqual(tokenSha256, sha256);
    }
}
