package io.drover.scheduler.gitsync;

import java.util.Optional;

/** Resolves a secret's name (stored with the repository) to credentials held in configuration only. */
@FunctionalInterface
public interface SecretLookup {
    Optional<GitCredentials> find(String name);
}
