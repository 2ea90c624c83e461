package io.drover.orchestrator.config;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What this process does ({@code drover.roles}). One process with all three is the embedded
 * single-machine mode; in a cluster, API replicas need no sandbox privilege, workers run the
 * sandboxes, and schedulers fire schedules and poll repositories.
 *
 * @param api       serves the REST API
 * @param worker    claims and runs subtasks, expands fan-outs by command, owns sandboxes
 * @param scheduler fires schedules (clustered Quartz) and polls registered repositories
 */
public record Roles(boolean api, boolean worker, boolean scheduler) {
    public static final Roles ALL = new Roles(true, true, true);
    private static final Set<String> NAMES = Set.of("api", "worker", "scheduler");

    /** Reads {@code drover.roles}; a name it does not know, or none at all, stops start-up naming the key. */
    public static Roles parse(List<String> names) {
        Set<String> given = new TreeSet<>();
        for (String name : names) {
            String role = name.strip().toLowerCase(Locale.ROOT);
            if (role.isEmpty()) {
                continue;
            }
            if (!NAMES.contains(role)) {
                throw new IllegalArgumentException("drover.roles: '" + name.strip() + "' is not a role; use a comma"
                        + " list of api, worker and scheduler");
            }
            given.add(role);
        }
        if (given.isEmpty()) {
            throw new IllegalArgumentException("drover.roles: names no role; use a comma list of api, worker and"
                    + " scheduler");
        }
        return new Roles(given.contains("api"), given.contains("worker"), given.contains("scheduler"));
    }

    @Override
    public String toString() {
        List<String> on = new java.util.ArrayList<>();
        if (api) {
            on.add("api");
        }
        if (worker) {
            on.add("worker");
        }
        if (scheduler) {
            on.add("scheduler");
        }
        return String.join(",", on);
    }
}
