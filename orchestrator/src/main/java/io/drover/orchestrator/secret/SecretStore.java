package io.drover.orchestrator.secret;

import io.drover.orchestrator.config.DroverConfig;
import io.drover.orchestrator.tenant.Tenant;
import io.drover.workers.secret.SecretValues;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Makes, replaces, lists and deletes the tenants' secrets, and gives the workers their values.
 * Made at start-up, so that a bad key stops it.
 */
@Startup
@ApplicationScoped
public class SecretStore implements SecretValues {
    @Inject
    DroverConfig config;

    private final Clock clock = Clock.systemUTC();
    private SecretCipher cipher;

    @PostConstruct
    void resolveKey() {
        cipher = SecretsKey.cipher(config.secrets(), config.dataDir());
    }

    /** Makes the tenant's secret; empty if it has one of that name already. */
    @Transactional
    public Optional<Secret> create(String tenant, String name, String value) {
        Tenant.findOrMake(tenant);
        if (Secret.of(tenant, name).isPresent()) {
            return Optional.empty();
        }
        Secret secret = new Secret();
        secret.tenant = tenant;
        secret.name = name;
        secret.seal(cipher.seal(tenant, name, value));
        secret.createdAt = clock.instant();
        secret.updatedAt = secret.createdAt;
        secret.persist();
        return Optional.of(secret);
    }

    /** Replaces the value of the tenant's secret; empty if it has none of that name. */
    @Transactional
    public Optional<Secret> replace(String tenant, String name, String value) {
        Optional<Secret> secret = Secret.of(tenant, name);
        secret.ifPresent(s -> {
            s.seal(cipher.seal(tenant, name, value));
            s.updatedAt = clock.instant();
        });
        return secret;
    }

    /** The tenant's secrets by name. */
    @Transactional
    public List<Secret> of(String tenant) {
        return Secret.list("tenant = ?1 order by name", tenant);
    }

    @Transactional
    public boolean delete(String tenant, String name) {
        return Secret.delete("tenant = ?1 and name = ?2", tenant, name) > 0;
    }

    @Override
    @Transactional
    public Map<String, String> values(String tenant, Collection<String> names) {
        Map<String, String> values = new LinkedHashMap<>();
        if (!names.isEmpty()) {
            Secret.named(tenant, names).forEach(s -> values.put(s.name, cipher.open(tenant, s.name, s.sealed())));
        }
        return values;
    }

    @Override
    @Transactional
    public Set<String> missing(String tenant, Collection<String> names) {
        Set<String> missing = new HashSet<>(names);
        if (!names.isEmpty()) {
            Secret.named(tenant, names).forEach(s -> missing.remove(s.name));
        }
        return missing;
    }
}
