package io.drover.persistence.repo;

/**
 * A git repository to register.
 *
 * @param secret the name of a secret in Drover's configuration, or null for a public repository
 * @param tenant whose repository it is; the schedules and jobs of its specs are that tenant's
 */
public record NewRepo(String url, String branch, String pathGlob, String secret, String tenant) {
    public NewRepo {
        tenant = tenant == null ? io.drover.persistence.job.NewJob.DEFAULT_TENANT : tenant;
    }

    /** The default tenant's. */
    public NewRepo(String url, String branch, String pathGlob, String secret) {
        this(url, branch, pathGlob, secret, null);
    }
}
