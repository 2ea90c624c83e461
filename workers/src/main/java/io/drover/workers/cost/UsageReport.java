package io.drover.workers.cost;

import java.util.List;
import java.util.Map;

/**
 * What a task reported in its usage file, summed per model and per tool, in the order first seen.
 *
 * @param problems the lines that could not be used, described for users (counted in full, listed up to a few)
 */
public record UsageReport(Map<String, Tokens> models, Map<String, ToolCalls> tools, int problemCount,
        List<String> problems) {

    public static final UsageReport EMPTY = new UsageReport(Map.of(), Map.of(), 0, List.of());

    /** Input excludes cached input: each is billed at its own price. */
    public record Tokens(long input, long cachedInput, long output) {
        Tokens plus(Tokens other) {
            return new Tokens(input + other.input, cachedInput + other.cachedInput, output + other.output);
        }
    }

    public record ToolCalls(long calls, long durationMs) {
        ToolCalls plus(ToolCalls other) {
            return new ToolCalls(calls + other.calls, durationMs + other.durationMs);
        }
    }
}
