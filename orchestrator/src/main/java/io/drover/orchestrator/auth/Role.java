package io.drover.orchestrator.auth;

/** What a token may do within its tenant. Each role can do what the ones below it can. */
public enum Role {
    /** Reads: jobs, subtasks, logs, costs, schedules, repositories, snapshots. */
    READ,
    /** Reads, and submits, cancels and retries jobs; opens sandboxes; creates schedules and repositories. */
    SUBMIT,
    /** All of that, and makes and revokes the tenant's tokens. */
    ADMIN;

    public boolean covers(Role needed) {
        return compareTo(needed) >= 0;
    }

    /** The role named in a request ({@code admin}, {@code submit}, {@code read}), or empty. */
    public static java.util.Optional<Role> named(String name) {
        for (Role role : values()) {
            if (role.name().equalsIgnoreCase(name)) {
                return java.util.Optional.of(role);
            }
        }
        return java.util.Optional.empty();
    }
}
