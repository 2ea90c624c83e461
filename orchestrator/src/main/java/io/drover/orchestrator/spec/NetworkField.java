package io.drover.orchestrator.spec;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.sandbox.NetworkPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a sandbox network policy: {@code none}, {@code egress}, {@code host}, or
 * {@code {allow: ["host:port", ...]}}. See docs/job-spec.md.
 */
public final class NetworkField {
    private static final String EXPECTED = "must be none, egress, host, or a map {allow: [\"host:port\", ...]}";
    private static final int MAX_ENDPOINTS = 256;

    private NetworkField() {
    }

    /**
     * What setup commands may reach when the spec does not say: egress on a driver with networking
     * (setup usually downloads), none on one whose sandboxes have no network at all, so that the
     * base records what its setup really had.
     */
    public static NetworkPolicy setupDefault(boolean networked) {
        return networked ? NetworkPolicy.EGRESS : NetworkPolicy.NONE;
    }

    /** Flags {@code host} when this server does not allow it. */
    public static void hostAllowed(NetworkPolicy policy, String path, boolean allowed, List<FieldError> problems) {
        if (policy.mode() == NetworkPolicy.Mode.HOST && !allowed) {
            problems.add(new FieldError(path, "host is disabled on this server: a sandbox on the host's network is"
                    + " not isolated (it reaches the host's own services); drover.sandbox.allow-host-network=true"
                    + " enables it"));
        }
    }

    /**
     * @param node     the field's value, or null when absent (then {@code fallback})
     * @param path     the field's path in errors, e.g. {@code spec.sandbox.network}
     * @param problems receives one error per bad part
     */
    public static NetworkPolicy read(JsonNode node, String path, NetworkPolicy fallback, List<FieldError> problems) {
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (node.isTextual()) {
            try {
                return NetworkPolicy.named(node.asText());
            } catch (IllegalArgumentException e) {
                problems.add(new FieldError(path, EXPECTED));
                return fallback;
            }
        }
        if (!node.isObject()) {
            problems.add(new FieldError(path, EXPECTED));
            return fallback;
        }
        for (var names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!Set.of("allow").contains(name)) {
                problems.add(new FieldError(path + "." + name, "unknown field; expected allow"));
            }
        }
        JsonNode allow = node.get("allow");
        if (allow == null || !allow.isArray() || allow.isEmpty() || allow.size() > MAX_ENDPOINTS) {
            problems.add(new FieldError(path + ".allow", "must be a list of 1 to " + MAX_ENDPOINTS
                    + " host:port strings, e.g. [\"registry.npmjs.org:443\", \"10.0.0.2:8080\"]"));
            return fallback;
        }
        List<String> endpoints = new ArrayList<>();
        int before = problems.size();
        for (int i = 0; i < allow.size(); i++) {
            JsonNode element = allow.get(i);
            String at = path + ".allow[" + i + "]";
            if (!element.isTextual()) {
                problems.add(new FieldError(at, "must be a host:port string, e.g. registry.npmjs.org:443"));
                continue;
            }
            try {
                NetworkPolicy.Endpoint.parse(element.asText());
                endpoints.add(element.asText());
            } catch (IllegalArgumentException e) {
                problems.add(new FieldError(at, e.getMessage()));
            }
        }
        return problems.size() == before ? NetworkPolicy.allowing(endpoints) : fallback;
    }
}
