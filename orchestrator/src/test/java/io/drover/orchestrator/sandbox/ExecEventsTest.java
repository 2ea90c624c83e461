package io.drover.orchestrator.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExecEventsTest {

    @Test
    void a_character_split_across_two_writes_arrives_whole_and_streams_keep_their_order() throws Exception {
        ExecEvents events = new ExecEvents();
        byte[] cafe = "café".getBytes(StandardCharsets.UTF_8);

        events.stdout().write(cafe, 0, 4);
        events.stderr().write("warn".getBytes(StandardCharsets.UTF_8), 0, 4);
        events.stdout().write(cafe, 4, 1);

        assertThat(events.next(Duration.ZERO)).isEqualTo(new ExecEvents.Output("stdout", "caf"));
        assertThat(events.next(Duration.ZERO)).isEqualTo(new ExecEvents.Output("stderr", "warn"));
        assertThat(events.next(Duration.ZERO)).isEqualTo(new ExecEvents.Output("stdout", "é"));
        assertThat(events.next(Duration.ZERO)).isNull();
    }

    @Test
    void an_incomplete_character_at_the_end_is_replaced_not_lost() {
        ExecEvents events = new ExecEvents();
        events.stdout().write(new byte[] {'a', (byte) 0xC3}, 0, 2);

        assertThat(events.remaining()).isEqualTo(new ExecEvents.Output("stdout", "a"));
        assertThat(events.remaining()).isEqualTo(new ExecEvents.Output("stdout", "\uFFFD"));
        assertThat(events.remaining()).isNull();
    }
}
