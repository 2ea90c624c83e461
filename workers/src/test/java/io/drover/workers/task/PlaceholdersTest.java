package io.drover.workers.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PlaceholdersTest {
    @Test
    void item_keys_are_filled_in_and_other_placeholders_are_left_to_the_shell() {
        assertThat(Placeholders.fill("npm test -- --shard=${shard}/4 in ${HOME}", Map.of("shard", "2")))
                .isEqualTo("npm test -- --shard=2/4 in ${HOME}");
    }

    @Test
    void values_are_inserted_literally() {
        assertThat(Placeholders.fill("echo ${x}", Map.of("x", "$1 \\ ${y}"))).isEqualTo("echo $1 \\ ${y}");
    }

    @Test
    void names_lists_each_placeholder_once_in_order() {
        assertThat(Placeholders.names("${a} ${b} ${a} $c")).containsExactly("a", "b");
    }

    @Test
    void item_values_are_text_and_nested_values_json() {
        assertThat(Items.values("{\"n\": 3, \"ok\": true, \"tags\": [\"x\"], \"s\": \"y\"}"))
                .containsExactly(Map.entry("n", "3"), Map.entry("ok", "true"), Map.entry("tags", "[\"x\"]"),
                        Map.entry("s", "y"));
    }
}
