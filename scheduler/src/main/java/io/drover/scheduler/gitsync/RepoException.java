package io.drover.scheduler.gitsync;

/** A repository could not be read at all (unreachable, bad credentials, missing branch); the message says which. */
public class RepoException extends RuntimeException {
    public RepoException(String message) {
        super(message);
    }
}
