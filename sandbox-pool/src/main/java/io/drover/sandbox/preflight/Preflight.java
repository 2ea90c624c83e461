package io.drover.sandbox.preflight;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a driver's start-up checks found, ending with a canary sandbox. A driver whose preflight
 * failed runs no sandbox: its reason says what the machine lacks before any subtask could fail of it.
 *
 * @param driver the driver's name
 * @param checks in the order they ran; the checks after the first failure may be missing
 * @param took   how long the checks and the canary took together
 */
public record Preflight(String driver, List<Check> checks, Duration took) {

    public Preflight {
        checks = List.copyOf(checks);
    }

    public boolean passed() {
        return !checks.isEmpty() && checks.stream().allMatch(Check::passed);
    }

    /** The first failed check, as one line naming the driver; empty when the preflight passed. */
    public Optional<String> reason() {
        return checks.stream().filter(c -> !c.passed()).findFirst()
                .map(c -> "the " + driver + " sandbox driver cannot run here: " + c)
                .or(() -> checks.isEmpty() ? Optional.of("the " + driver + " sandbox driver was not checked") : Optional.empty());
    }
}
