package io.drover.orchestrator.tenant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;

/** A tenant and its quotas (V14 {@code tenant}); a null quota is no limit. */
@Entity
@Table(name = "tenant")
public class Tenant extends PanacheEntityBase {
    /** What a tenant name may be: lower-case letters, digits and '-', at most 63 characters. */
    public static final String NAME = "[a-z0-9][a-z0-9-]{0,62}";

    @Id
    public String name;
    @Column(name = "max_running_subtasks")
    public Integer maxRunningSubtasks;
    @Column(name = "max_open_sandboxes")
    public Integer maxOpenSandboxes;
    @Column(name = "monthly_budget_usd")
    public BigDecimal monthlyBudgetUsd;
    @Column(name = "submits_per_minute")
    public Integer submitsPerMinute;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;

    /** The tenant, made without quotas if it does not exist (two at once make one); call in a transaction. */
    public static Tenant findOrMake(String name) {
        Tenant known = findById(name);
        if (known != null) {
            return known;
        }
        getEntityManager().createNativeQuery("INSERT INTO tenant (name) VALUES (?1) ON CONFLICT (name) DO NOTHING")
                .setParameter(1, name).executeUpdate();
        return findById(name);
    }
}
