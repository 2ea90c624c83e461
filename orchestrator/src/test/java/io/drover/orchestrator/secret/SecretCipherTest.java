package io.drover.orchestrator.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.orchestrator.config.DroverConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretCipherTest {
    private static final byte[] KEY = new byte[32];
    private static final byte[] OTHER_KEY = "another key of exactly 32 bytes!".getBytes(StandardCharsets.US_ASCII);

    private static DroverConfig.Secrets config(String key, Path file) {
        return new DroverConfig.Secrets() {
            @Override
            public Optional<String> key() {
                return Optional.ofNullable(key);
            }

            @Override
            public Optional<Path> keyFile() {
                return Optional.ofNullable(file);
            }
        };
    }

    @Test
    void a_value_sealed_for_one_row_opens_there_and_nowhere_else() {
        SecretCipher cipher = new SecretCipher(KEY);
        SecretCipher.Sealed sealed = cipher.seal("acme", "db-password", "hunter2-hunter2");
        assertThat(new String(sealed.ciphertext(), StandardCharsets.UTF_8)).doesNotContain("hunter2");
        assertThat(cipher.open("acme", "db-password", sealed)).isEqualTo("hunter2-hunter2");
        assertThat(cipher.seal("acme", "db-password", "hunter2-hunter2").nonce()).isNotEqualTo(sealed.nonce());
        assertThatThrownBy(() -> cipher.open("globex", "db-password", sealed)).hasMessageContaining("does not decrypt");
        assertThatThrownBy(() -> cipher.open("acme", "other", sealed)).hasMessageContaining("does not decrypt");
    }

    @Test
    void a_value_sealed_with_another_key_is_refused_naming_both_keys() {
        SecretCipher.Sealed sealed = new SecretCipher(OTHER_KEY).seal("acme", "db", "value");
        SecretCipher cipher = new SecretCipher(KEY);
        assertThatThrownBy(() -> cipher.open("acme", "db", sealed))
                .hasMessageContaining(sealed.keyId()).hasMessageContaining(cipher.keyId())
                .hasMessageContaining("drover.secrets.key");
    }

    @Test
    void a_key_of_the_wrong_size_stops_the_start_naming_where_it_came_from(@TempDir Path dir) throws Exception {
        String short16 = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> SecretsKey.cipher(config(short16, null), dir))
                .hasMessageContaining("drover.secrets.key (DROVER_SECRETS_KEY)").hasMessageContaining("16 bytes");
        assertThatThrownBy(() -> SecretsKey.cipher(config("not base64!", null), dir))
                .hasMessageContaining("drover.secrets.key").hasMessageContaining("not base64");
        Path file = Files.writeString(dir.resolve("mounted"), short16 + "\n");
        assertThatThrownBy(() -> SecretsKey.cipher(config(null, file), dir))
                .hasMessageContaining("drover.secrets.key-file (" + file + ")");
        String good = Base64.getEncoder().encodeToString(OTHER_KEY);
        Files.writeString(file, good + "\n");
        assertThat(SecretsKey.cipher(config(null, file), dir).keyId())
                .isEqualTo(SecretsKey.cipher(config(good, null), dir).keyId());
    }

    @Test
    void without_a_key_one_is_made_in_the_data_dir_with_mode_0600_and_kept(@TempDir Path dir) throws Exception {
        SecretCipher made = SecretsKey.cipher(config(null, null), dir);
        Path file = dir.resolve(SecretsKey.FILE);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(SecretsKey.cipher(config(null, null), dir).keyId()).isEqualTo(made.keyId());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> SecretsKey.cipher(config(null, null), dir)).hasMessageContaining("chmod 600");
    }
}
