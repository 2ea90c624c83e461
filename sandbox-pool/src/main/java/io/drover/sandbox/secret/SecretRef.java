package io.drover.sandbox.secret;

/**
 * A secret a task is given, by name only (spec.task.secrets[i]): its value is read at each attempt.
 * Exactly one of {@code env} and {@code file} is set.
 *
 * @param env  the environment variable that holds the value
 * @param file the absolute path (under /workspace or /tmp) the value is written to, mode 0600
 */
public record SecretRef(String name, String env, String file) {
    /** What a secret's name may be. */
    public static final String NAME = "[A-Za-z0-9][A-Za-z0-9._-]{0,62}";

    public SecretRef {
        if (name == null || (env == null) == (file == null)) {
            throw new IllegalArgumentException("a secret reference names a secret and exactly one of env and file");
        }
    }
}
