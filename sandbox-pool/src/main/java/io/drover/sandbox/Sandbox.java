package io.drover.sandbox;

/** A handle to one sandbox; only the driver that cloned it can act on it. */
public interface Sandbox {
    String id();

    BaseSnapshot base();

    Resources resources();

    SandboxState state();
}
