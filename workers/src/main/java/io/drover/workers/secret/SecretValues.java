package io.drover.workers.secret;

import io.drover.sandbox.secret.SecretRef;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The values of a tenant's secrets, decrypted where the key is; the orchestrator implements it. */
public interface SecretValues {

    /** No secrets at all: every name is missing. */
    SecretValues NONE = new SecretValues() {
        @Override
        public Map<String, String> values(String tenant, Collection<String> names) {
            return Map.of();
        }

        @Override
        public Set<String> missing(String tenant, Collection<String> names) {
            return Set.copyOf(names);
        }
    };

    /** The value of each of {@code names} the tenant has; a name it has not is left out. */
    Map<String, String> values(String tenant, Collection<String> names);

    /** The ones of {@code names} the tenant has no secret of. */
    Set<String> missing(String tenant, Collection<String> names);

    static List<String> names(Collection<SecretRef> refs) {
        return refs.stream().map(SecretRef::name).distinct().toList();
    }
}
