package io.drover.persistence.sandbox;

/** How a sandbox came to the exec API. */
public enum SandboxKind {
    /** Opened by {@code POST /api/v1/sandboxes}; closed by DELETE or when its process stops. */
    OPEN,
    /** An attempt's sandbox lent to its agent while the attempt runs; the attempt releases it. */
    LENT,
    /** A failed attempt's sandbox kept for inspection until {@code expires_at}. */
    KEPT
}
