package io.drover.sandbox;

/** A sandbox could not be prepared, created or driven; the message says what to do about it. */
public class SandboxException extends Exception {
    public SandboxException(String message) {
        super(message);
    }

    public SandboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
