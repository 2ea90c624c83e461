package io.drover.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.sandbox.secret.SecretRef;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BaseSpecTest {
    @Test
    void equal_content_gives_equal_hashes_whatever_the_env_order() {
        BaseSpec a = new BaseSpec("host", List.of("git clone x", "npm ci"), Map.of("A", "1", "B", "2"));
        BaseSpec b = new BaseSpec("host", List.of("git clone x", "npm ci"), Map.of("B", "2", "A", "1"));
        assertThat(a.hash()).isEqualTo(b.hash()).hasSize(64);
    }

    @Test
    void setup_steps_cannot_collide_by_concatenation() {
        BaseSpec joined = new BaseSpec("host", List.of("ab"), Map.of());
        BaseSpec split = new BaseSpec("host", List.of("a", "b"), Map.of());
        assertThat(joined.hash()).isNotEqualTo(split.hash());
        assertThat(new BaseSpec("host", List.of("a"), Map.of()).hash())
                .isNotEqualTo(new BaseSpec("host", List.of("a"), Map.of("X", "1")).hash());
    }

    @Test
    void the_setup_network_changes_the_hash_unless_it_is_the_default() {
        BaseSpec plain = new BaseSpec("host", List.of("npm ci"), Map.of());

        assertThat(new BaseSpec("host", List.of("npm ci"), Map.of(), NetworkPolicy.EGRESS).hash()).isEqualTo(plain.hash());
        assertThat(new BaseSpec("host", List.of("npm ci"), Map.of(), NetworkPolicy.NONE).hash()).isNotEqualTo(plain.hash());
        assertThat(new BaseSpec("host", List.of("npm ci"), Map.of(),
                NetworkPolicy.allowing(List.of("registry.npmjs.org:443", "10.0.0.2:80"))).hash())
                .isEqualTo(new BaseSpec("host", List.of("npm ci"), Map.of(),
                        NetworkPolicy.allowing(List.of("10.0.0.2:80", "registry.npmjs.org:443"))).hash());
    }

    @Test
    void setup_secrets_change_the_hash_by_what_they_are_given_as_never_by_their_values() {
        BaseSpec plain = new BaseSpec("host", List.of("npm ci"), Map.of(), null, "acme");
        BaseSpec token = new BaseSpec("host", List.of("npm ci"), Map.of(), null, "acme",
                List.of(new SecretRef("npm-token", "NPM_TOKEN", null)), Map.of());

        assertThat(token.hash()).isNotEqualTo(plain.hash());
        assertThat(token.withSetupSecretValues(Map.of("npm-token", "first-value")).hash())
                .isEqualTo(token.withSetupSecretValues(Map.of("npm-token", "second-value")).hash())
                .isEqualTo(token.hash());
        assertThat(new BaseSpec("host", List.of("npm ci"), Map.of(), null, "acme",
                List.of(new SecretRef("npm-token", null, "/tmp/NPM_TOKEN")), Map.of()).hash())
                .isNotEqualTo(token.hash());
        assertThat(token.withSetupSecretValues(Map.of("npm-token", "first-value")).toString())
                .contains("npm-token").doesNotContain("first-value");
    }
}
