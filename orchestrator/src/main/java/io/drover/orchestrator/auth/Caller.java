package io.drover.orchestrator.auth;

/**
 * Who made a request, as its bearer token says.
 *
 * @param tokenId  the token's id in {@code api_token}; null for the admin token and for JWTs
 * @param operator the admin token: it may make tokens for any tenant
 */
public record Caller(String tenant, Role role, Long tokenId, boolean operator) {

    public boolean may(Role needed) {
        return role.covers(needed);
    }
}
