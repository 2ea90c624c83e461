package io.drover.sandbox;

public enum SandboxState {
    /** Cloned and ready, nothing running. */
    WARM,
    /** Running a command. */
    ACTIVE,
    /** Compute stopped; files and processes kept. */
    STANDBY,
    DESTROYED
}
