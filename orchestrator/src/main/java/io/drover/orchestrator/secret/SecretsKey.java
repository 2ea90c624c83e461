package io.drover.orchestrator.secret;

import io.drover.orchestrator.config.DroverConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Finds the secrets key: {@code drover.secrets.key}, else {@code drover.secrets.key-file}, else
 * {@code <data-dir>/secrets.key}, made at the first start (mode 0600). A key that is not the base64
 * of 32 bytes stops the start, naming where it came from.
 */
final class SecretsKey {
    static final String FILE = "secrets.key";
    private static final Logger LOG = Logger.getLogger(SecretsKey.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private SecretsKey() {
    }

    static SecretCipher cipher(DroverConfig.Secrets config, Path dataDir) {
        if (config.key().filter(k -> !k.isBlank()).isPresent()) {
            return decode(config.key().get(), "drover.secrets.key (DROVER_SECRETS_KEY)");
        }
        if (config.keyFile().isPresent()) {
            Path file = config.keyFile().get();
            return decode(read(file, "drover.secrets.key-file"), "drover.secrets.key-file (" + file + ")");
        }
        Path file = dataDir.resolve(FILE);
        makeIfMissing(dataDir, file);
        if (!permissions(file).equals(OWNER_ONLY)) {
            throw new IllegalStateException(file + " must be readable by its owner only (chmod 600 " + file + ")");
        }
        return decode(read(file, "the secrets key file"), file.toString());
    }

    private static SecretCipher decode(String base64, String source) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(source + " must be the base64 of " + SecretCipher.KEY_BYTES
                    + " random bytes (openssl rand -base64 32); it is not base64");
        }
        if (key.length != SecretCipher.KEY_BYTES) {
            throw new IllegalStateException(source + " must be the base64 of " + SecretCipher.KEY_BYTES
                    + " random bytes (openssl rand -base64 32); it holds " + key.length + " bytes");
        }
        return new SecretCipher(key);
    }

    private static String read(Path file, String what) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + what + " " + file, e);
        }
    }

    private static Set<PosixFilePermission> permissions(Path file) {
        try {
            return Files.getPosixFilePermissions(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void makeIfMissing(Path dataDir, Path file) {
        if (Files.exists(file)) {
            return;
        }
        try {
            Files.createDirectories(dataDir);
            byte[] key = new byte[SecretCipher.KEY_BYTES];
            new SecureRandom().nextBytes(key);
            Path partial = dataDir.resolve(FILE + ".partial");
            Files.deleteIfExists(partial);
            Files.createFile(partial, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Files.writeString(partial, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.UTF_8);
            try {
                Files.createLink(file, partial);
                LOG.infof("Made the secrets key in %s (mode 0600). Back it up: secrets cannot be read without it;"
                        + " other processes on this database need the same key (DROVER_SECRETS_KEY)", file);
            } catch (FileAlreadyExistsException raced) {
                // Another process on this data dir made it first: that one holds.
            } finally {
                Files.delete(partial);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the secrets key " + file, e);
        }
    }
}
