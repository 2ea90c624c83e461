package io.drover.orchestrator.auth;

import io.drover.orchestrator.config.DroverConfig;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The admin token: {@code drover.admin-token} (env {@code DROVER_ADMIN_TOKEN}), or else the one in
 * {@code <data-dir>/admin-token}, made at the first start (mode 0600) and printed once. Only its
 * SHA-256 is held in memory.
 */
@Startup
@ApplicationScoped
public class AdminToken {
    static final String FILE = "admin-token";
    private static final Logger LOG = Logger.getLogger(AdminToken.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

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
        digest = Secrets.sha256(token);
    }

    /** Whether {@code sha256} is the admin token's digest, in constant time. */
    public boolean matches(byte[] sha256) {
        return MessageDigest.isEqual(digest, sha256);
    }

    /** The token in {@code dataDir}'s file, made there first if there is none. */
    static String fromFile(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(dataDir);
                String made = Secrets.make();
                Path partial = dataDir.resolve(FILE + ".partial");
                Files.deleteIfExists(partial);
                Files.createFile(partial, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                Files.writeString(partial, made + "\n", StandardCharsets.UTF_8);
                try {
                    Files.createLink(file, partial);
                    LOG.infof("Made the admin token, kept in %s (mode 0600); it is shown this once: %s", file, made);
                } catch (FileAlreadyExistsException raced) {
                    // Another process on this data dir made it first: that one holds.
                } finally {
                    Files.delete(partial);
                }
            }
            if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                throw new IllegalStateException(file + " must be readable by its owner only (chmod 600 " + file + ")");
            }
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw new IllegalStateException(file + " is empty: delete it to have a new admin token made,"
                        + " or set DROVER_ADMIN_TOKEN");
            }
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or make the admin token in " + file, e);
        }
    }
}
