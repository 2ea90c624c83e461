package io.drover.sandbox;

/** A handle to one sandbox; only the driver that cloned it can act on it. */
public interface Sandbox {
    String id();

    BaseSnapshot base();

    Resources resources();

    SandboxState state();

    /** Fails when the sandbox was destroyed: drivers call it before acting on one. */
    default void requireLive() throws SandboxException {
        if (state() == SandboxState.DESTROYED) {
            throw new SandboxException("sandbox " + id() + " was destroyed; clone a new one");
        }
    }
}
