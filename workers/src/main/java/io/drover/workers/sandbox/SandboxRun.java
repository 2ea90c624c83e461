package io.drover.workers.sandbox;

import io.drover.sandbox.ExecResult;
import io.drover.sandbox.Resources;
import io.drover.sandbox.Usage;
import java.time.Duration;
import java.util.Optional;

/**
 * How a one-shot command ended and what its sandbox used while leased.
 *
 * @param usage     from lease to release (time a warm clone spent in the pool before is not in it)
 * @param setup     the build time of the base the sandbox was cloned from
 * @param collected the file the caller asked to collect, if the command wrote it; at most the
 *                  limit asked for plus one byte, so that the caller can tell it was cut
 * @param kept      the sandbox, when it was kept for inspection after a failure instead of destroyed
 */
public record SandboxRun(ExecResult result, Usage usage, Resources resources, Optional<Duration> setup,
        Optional<byte[]> collected, Optional<SandboxKeeper.Kept> kept) {

    public SandboxRun(ExecResult result, Usage usage, Resources resources, Optional<Duration> setup,
            Optional<byte[]> collected) {
        this(result, usage, resources, setup, collected, Optional.empty());
    }
}
