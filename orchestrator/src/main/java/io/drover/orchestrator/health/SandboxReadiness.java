package io.drover.orchestrator.health;

import io.drover.orchestrator.config.DroverConfig;
import io.drover.orchestrator.config.Roles;
import io.drover.sandbox.preflight.Check;
import io.drover.sandbox.preflight.Preflight;
import io.drover.workers.sandbox.Drivers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only when the default sandbox driver passed its preflight: a process that cannot run its
 * sandboxes takes no work, and says why here, before any subtask could fail of it.
 */
@Readiness
@ApplicationScoped
public class SandboxReadiness implements HealthCheck {
    @Inject
    Drivers drivers;
    @Inject
    DroverConfig config;
    @Inject
    Roles roles;

    @Override
    public HealthCheckResponse call() {
        if (!roles.worker()) {
            return HealthCheckResponse.named("sandboxes").up().withData("roles", roles.toString())
                    .withData("sandboxes", "none: no worker role").build();
        }
        String driver = config.spec().defaultDriver();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("sandboxes").withData("driver", driver);
        drivers.preflight(driver).ifPresent(p -> describe(p, response));
        return drivers.unavailable(driver).map(reason -> response.down().withData("reason", reason).build())
                .orElseGet(() -> response.up().build());
    }

    private static void describe(Preflight preflight, HealthCheckResponseBuilder response) {
        response.withData("preflightMs", preflight.took().toMillis());
        for (Check check : preflight.checks()) {
            response.withData(check.name(), (check.passed() ? "ok: " : "FAILED: ") + check.detail());
        }
    }
}
