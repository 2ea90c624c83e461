package io.drover.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Job specs committed to git repositories (prefix {@code drover.git}). */
@ConfigMapping(prefix = "drover.git")
public interface GitConfig {

    /** How often every registered repository is fetched and its specs applied. */
    @WithDefault("60s")
    Duration pollInterval();

    /** Where the bare clones are kept; defaults to {@code ${drover.data-dir}/git}. */
    Optional<Path> cacheDir();

    /**
     * Credentials for private repositories, by name: {@code drover.git.secrets.NAME.password} (a
     * password or token) and optionally {@code .username}. A repository refers to one by its name only.
     */
    Map<String, Secret> secrets();

    interface Secret {
        /** The user name sent with the password; most hosts accept any name with a token. */
        @WithDefault("git")
        String username();

        /** The password or access token. Never returned by the API. */
        String password();
    }
}
