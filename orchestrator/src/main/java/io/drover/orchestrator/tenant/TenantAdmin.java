package io.drover.orchestrator.tenant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Tenants and their quotas as the operator sets them. */
@ApplicationScoped
public class TenantAdmin {

    /** The quotas to set; null is no limit. */
    public record Limits(Integer maxRunningSubtasks, Integer maxOpenSandboxes, BigDecimal monthlyBudgetUsd,
            Integer submitsPerMinute) {
    }

    @Transactional
    public Tenant put(String name, Limits limits) {
        Tenant tenant = Tenant.findOrMake(name);
        tenant.maxRunningSubtasks = limits.maxRunningSubtasks();
        tenant.maxOpenSandboxes = limits.maxOpenSandboxes();
        tenant.monthlyBudgetUsd = limits.monthlyBudgetUsd();
        tenant.submitsPerMinute = limits.submitsPerMinute();
        tenant.updatedAt = Instant.now();
        return tenant;
    }

    @Transactional
    public Optional<Tenant> find(String name) {
        return Tenant.findByIdOptional(name);
    }

    @Transactional
    public List<Tenant> all() {
        return Tenant.listAll(io.quarkus.panache.common.Sort.by("name"));
    }
}
