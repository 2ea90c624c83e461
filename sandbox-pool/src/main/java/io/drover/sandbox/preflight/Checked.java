package io.drover.sandbox.preflight;

import io.drover.sandbox.SandboxDriver;
import java.util.Optional;

/**
 * A driver started behind its preflight: present only when every check and the canary passed, so
 * that no sandbox is ever asked of a driver the machine cannot run.
 */
public record Checked<D extends SandboxDriver>(Preflight preflight, Optional<D> driver) {

    public static <D extends SandboxDriver> Checked<D> failed(Preflight preflight) {
        return new Checked<>(preflight, Optional.empty());
    }
}
