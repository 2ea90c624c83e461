package io.drover.cli;

/** The command line names something that cannot be used (an unreadable file, a bad ID/INDEX): exit 2. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
