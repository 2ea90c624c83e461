package io.drover.scheduler.gitsync;

/** A user name and password or token for an https repository, resolved from a named secret. */
public record GitCredentials(String username, String password) {
    @Override
    public String toString() {
        return "GitCredentials[" + username + ", ****]";
    }
}
