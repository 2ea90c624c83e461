package io.drover.workers.cost;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UsageFileTest {
    private static UsageReport parse(String content) {
        return UsageFile.parse(content.getBytes(StandardCharsets.UTF_8), false);
    }

    @Test
    void llm_and_tool_lines_are_summed_per_model_and_tool() {
        UsageReport r = parse("""
                {"type":"llm","model":"m","inputTokens":1200,"cachedInputTokens":0,"outputTokens":300}
                {"type":"llm","model":"m","inputTokens":800,"outputTokens":100}

                {"type":"tool","name":"github","durationMs":420}
                {"type":"tool","name":"github"}
                """);

        assertThat(r.models()).containsEntry("m", new UsageReport.Tokens(2000, 0, 400));
        assertThat(r.tools()).containsEntry("github", new UsageReport.ToolCalls(2, 420));
        assertThat(r.problemCount()).isZero();
    }

    @Test
    void malformed_lines_are_counted_and_described_but_the_good_ones_still_count() {
        UsageReport r = parse("""
                {"type":"llm","model":"m","inputTokens":10}
                {broken
                [1, 2]
                {"type":"llm","inputTokens":5}
                {"type":"llm","model":"m","inputTokens":-3}
                {"type":"llm","model":"m","outputTokens":"many"}
                {"type":"tool","name":"x","durationMs":1.5}
                {"type":"email"}
                """);

        assertThat(r.models()).containsEntry("m", new UsageReport.Tokens(10, 0, 0));
        assertThat(r.problemCount()).isEqualTo(7);
        assertThat(r.problems()).hasSize(UsageFile.PROBLEMS_LISTED)
                .startsWith("line 2: not JSON", "line 3: not a JSON object", "line 4: an llm line needs a \"model\"");
    }

    @Test
    void a_file_cut_at_the_limit_drops_its_last_line_and_says_so() {
        byte[] cut = "{\"type\":\"tool\",\"name\":\"a\"}\n{\"type\":\"tool\",\"na".getBytes(StandardCharsets.UTF_8);

        UsageReport r = UsageFile.parse(cut, true);

        assertThat(r.tools()).containsOnlyKeys("a");
        assertThat(r.problemCount()).isEqualTo(1);
        assertThat(r.problems().get(0)).contains("longer than");
    }
}
