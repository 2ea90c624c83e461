package io.drover.workers.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseRelayTest {
    private static final String STREAM = "data: {\"model\":\"m-1\",\"choices\":[{\"delta\":{\"content\":\"a\"}}],\"usage\":null}\r\n\r\n"
            + ": a comment\n\n"
            + "data: {\"model\":\"m-1\",\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":2}}\n\n"
            + "data: [DONE]\n\n";

    @Test
    void events_pass_unchanged_but_the_usage_only_chunk_when_it_was_asked_for_on_the_callers_behalf() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        SseRelay.Seen seen = SseRelay.relay(in(STREAM), out, true);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(STREAM.replace(
                "data: {\"model\":\"m-1\",\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":2}}\n\n", ""));
        assertThat(seen.model()).isEqualTo("m-1");
        assertThat(TokenUsage.of(seen.usage())).contains(new TokenUsage(7, 0, 2));
        assertThat(seen.dropped()).isEqualTo(1);

        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        SseRelay.relay(in(STREAM), kept, false);
        assertThat(kept.toString(StandardCharsets.UTF_8)).isEqualTo(STREAM);
    }

    @Test
    void a_caller_that_goes_away_still_leaves_the_streams_usage_to_be_recorded() throws Exception {
        OutputStream gone = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };

        SseRelay.Seen seen = SseRelay.relay(in(STREAM), gone, true);

        assertThat(seen.callerGone()).isTrue();
        assertThat(TokenUsage.of(seen.usage())).contains(new TokenUsage(7, 0, 2));
    }

    @Test
    void cached_tokens_are_taken_out_of_the_input_and_a_usage_without_prompt_tokens_is_none() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(TokenUsage.of(json.readTree("{\"prompt_tokens\":100,\"completion_tokens\":5,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":40}}"))).contains(new TokenUsage(60, 40, 5));
        assertThat(TokenUsage.of(json.readTree("{\"total_tokens\":3}"))).isEmpty();
        assertThat(TokenUsage.of(null)).isEmpty();
    }

    private static ByteArrayInputStream in(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
