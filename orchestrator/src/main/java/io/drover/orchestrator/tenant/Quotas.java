package io.drover.orchestrator.tenant;

import io.drover.persistence.cost.CostStore;
import io.drover.persistence.job.JobStore;
import io.drover.persistence.sandbox.SandboxStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Checks a tenant's quotas against what the database says now, so that they hold across every api
 * replica: the submit rate against the tenant's jobs of the last minute, the monthly budget
 * against its cost lines since the first of the month (UTC), open sandboxes against the sandbox
 * table. Running subtasks are limited by the claim itself.
 */
@ApplicationScoped
public class Quotas {
    static final Duration RATE_WINDOW = Duration.ofMinutes(1);

    @Inject
    JobStore jobs;
    @Inject
    CostStore costs;
    @Inject
    SandboxStore sandboxes;

    private final Clock clock = Clock.systemUTC();

    @Transactional
    public Optional<Tenant> of(String tenant) {
        return Tenant.findByIdOptional(tenant);
    }

    /** Before a REST submission: the submit rate. */
    public void checkSubmitRate(String tenant) {
        Integer perMinute = of(tenant).map(t -> t.submitsPerMinute).orElse(null);
        if (perMinute == null) {
            return;
        }
        Instant now = clock.instant();
        JobStore.Recent recent = jobs.recent(tenant, now.minus(RATE_WINDOW), perMinute);
        if (recent.count() >= perMinute) {
            Duration wait = Duration.between(now, recent.nthNewest().plus(RATE_WINDOW));
            throw new QuotaExceededException("submit-rate", "tenant " + tenant + " may submit " + perMinute
                    + " jobs a minute; it submitted " + recent.count() + " in the last minute", atLeastASecond(wait));
        }
    }

    /** Before any new job, from any door: the monthly budget. */
    public void checkBudget(String tenant) {
        BigDecimal budget = of(tenant).map(t -> t.monthlyBudgetUsd).orElse(null);
        if (budget == null) {
            return;
        }
        ZonedDateTime now = clock.instant().atZone(ZoneOffset.UTC);
        ZonedDateTime month = now.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
        BigDecimal spent = costs.spent(tenant, month.toInstant());
        if (spent.compareTo(budget) >= 0) {
            throw new QuotaExceededException("monthly-budget", "tenant " + tenant + " has spent " + plain(spent)
                    + " USD of its monthly budget of " + plain(budget) + " USD since " + month.toLocalDate()
                    + "; new jobs are refused until the month ends or the budget is raised",
                    Duration.between(now, month.plusMonths(1)));
        }
    }

    /** Before a sandbox is opened over the API: open sandboxes. */
    public void checkSandboxes(String tenant) {
        Integer max = of(tenant).map(t -> t.maxOpenSandboxes).orElse(null);
        if (max == null) {
            return;
        }
        long open = sandboxes.openCount(tenant);
        if (open >= max) {
            throw new QuotaExceededException("sandbox-quota", "tenant " + tenant + " may have " + max
                    + " sandboxes open at once and has " + open + "; close one first", Duration.ofSeconds(5));
        }
    }

    private static String plain(BigDecimal usd) {
        return usd.signum() == 0 ? "0" : usd.stripTrailingZeros().toPlainString();
    }

    private static Duration atLeastASecond(Duration wait) {
        return wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait;
    }
}
