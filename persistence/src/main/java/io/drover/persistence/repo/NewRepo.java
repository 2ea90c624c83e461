package io.drover.persistence.repo;

/**
 * A git repository to register.
 *
 * @param secret the name of a secret in Drover's configuration, or null for a public repository
 */
public record NewRepo(String url, String branch, String pathGlob, String secret) {
}
