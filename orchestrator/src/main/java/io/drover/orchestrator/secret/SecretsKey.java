package io.drover.orchestrator.secret;

import io.drover.orchestrator.config.DroverConfig;
import io.drover.orchestrator.config.OwnerOnlyFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.jboss.logging.Logger;

/**
 * Finds the secrets key: {@code drover.secrets.key}, else {@code drover.secrets.key-file}, else
 * {@code <data-dir>/secrets.key}, made at the first start (mode 0600). A key that is not the base64
 * of 32 bytes stops the start, naming where it came from.
 */
final class SecretsKey {
    static final String FILE = "secrets.key";
    private static final Logger LOG = Logger.getLogger(SecretsKey.class);

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
        String stored = OwnerOnlyFile.readOrMake(file, SecretsKey::newKey, key -> LOG.infof("Made the secrets key in %s"
                + " (mode 0600). Back it up: secrets cannot be read without it; other processes on this database need"
                + " the same key (DROVER_SECRETS_KEY)", file));
        return decode(stored, file.toString());
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

    private static String newKey() {
        byte[] key = new byte[SecretCipher.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
