package io.drover.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

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
}
