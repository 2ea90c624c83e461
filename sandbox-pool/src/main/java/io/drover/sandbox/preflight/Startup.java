package io.drover.sandbox.preflight;

import io.drover.sandbox.Resources;
import io.drover.sandbox.SandboxDriver;
import io.drover.sandbox.SandboxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A driver's start-up in the order every driver follows: its checks, then the driver itself, then
 * (when the driver can run one yet) a canary sandbox. The driver comes out only when all of that passed.
 */
public final class Startup {

    /** Makes the driver once its checks passed. */
    @FunctionalInterface
    public interface Construction<D> {
        D construct() throws SandboxException;
    }

    private Startup() {
    }

    /**
     * @param checks the driver's checks, every one up to the first failure
     * @param canary the timeout of the canary's command; empty when the driver runs no canary at start-up
     */
    public static <D extends SandboxDriver> Checked<D> behind(String name, Supplier<List<Check>> checks,
            Construction<D> construction, Optional<Duration> canary) {
        long start = System.nanoTime();
        List<Check> found = new ArrayList<>(checks.get());
        if (!found.stream().allMatch(Check::passed)) {
            return Checked.failed(new Preflight(name, found, since(start)));
        }
        D driver;
        try {
            driver = construction.construct();
        } catch (SandboxException | RuntimeException e) {
            found.add(Check.failed("start", e.getMessage()));
            return Checked.failed(new Preflight(name, found, since(start)));
        }
        if (canary.isPresent()) {
            Check ran = Canary.run(driver, "host", Resources.DEFAULT, canary.get());
            found.add(ran);
            if (!ran.passed()) {
                driver.close();
                return Checked.failed(new Preflight(name, found, since(start)));
            }
        }
        return new Checked<>(new Preflight(name, found, since(start)), Optional.of(driver));
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
