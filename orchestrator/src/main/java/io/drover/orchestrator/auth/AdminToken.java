package io.drover.orchestrator.auth;

import io.drover.orchestrator.config.DroverConfig;
import io.drover.orchestrator.config.OwnerOnlyFile;
import io.drover.workers.llm.GatewayTokens;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.jboss.logging.Logger;

/**
 * The admin token: {@code drover.admin-token} (env {@code DROVER_ADMIN_TOKEN}), or else the one in
 * {@code <data-dir>/admin-token}, made at the first start (mode 0600, {@link OwnerOnlyFile}) and printed once. Only its
 * SHA-256 is held in memory.
 */
@Startup
@ApplicationScoped
public class AdminToken {
    static final String FILE = "admin-token";
    private static final Logger LOG = Logger.getLogger(AdminToken.class);

    @Inject
    DroverConfig config;

    private byte[] digest;

    @PostConstruct
    void resolve() {
        String token = config.adminToken().filter(t -> !t.isBlank()).orElseGet(() -> fromFile(config.dataDir()));
        if (token.length() < 16) {
            throw new IllegalStateException("drover.admin-token (DROVER_ADMIN_TOKEN) must be at least 16 characters;"
                    + " it has " + token.length());
        }
        digest = GatewayTokens.sha256(token);
    }

    /** Whether {@code sha256} is the admin token's digest, in constant time. */
    public boolean matches(byte[] sha256) {
        return MessageDigest.isEqual(digest, sha256);
    }

    /** The token in {@code dataDir}'s file, made there first if there is none. */
    static String fromFile(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        String token = OwnerOnlyFile.readOrMake(file, GatewayTokens::newToken, made ->
                LOG.infof("Made the admin token, kept in %s (mode 0600); it is shown this once: %s", file, made));
        if (token.isEmpty()) {
            throw new IllegalStateException(file + " is empty: delete it to have a new admin token made,"
                    + " or set DROVER_ADMIN_TOKEN");
        }
        return token;
    }
}
