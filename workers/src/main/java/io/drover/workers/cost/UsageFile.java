package io.drover.workers.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the JSON lines a task appends to {@code $DROVER_USAGE}. A task is not trusted to write
 * it well: a bad line is counted and described, and never fails the attempt.
 */
public final class UsageFile {
    /** Where the task finds the file, inside its sandbox. At the workspace root, so that {@code >>} needs no mkdir. */
    public static final String PATH = "/workspace/.drover-usage.jsonl";
    /** The most read from one attempt's file; the rest is ignored and reported. */
    public static final int MAX_BYTES = 4 << 20;
    static final int PROBLEMS_LISTED = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    private UsageFile() {
    }

    /** @param truncated the file was longer than what was read: its last line may be cut */
    public static UsageReport parse(byte[] content, boolean truncated) {
        Map<String, UsageReport.Tokens> models = new LinkedHashMap<>();
        Map<String, UsageReport.ToolCalls> tools = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        int count = 0;
        String[] lines = new String(content, StandardCharsets.UTF_8).split("\n", -1);
        int last = lines.length - 1;
        if (truncated) {
            count++;
            problems.add("the usage file is longer than " + MAX_BYTES + " bytes; the rest was not read");
            last--; // the last line read may be cut in the middle
        }
        for (int i = 0; i <= last; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            String problem = read(line, models, tools);
            if (problem != null) {
                count++;
                if (problems.size() < PROBLEMS_LISTED) {
                    problems.add("line " + (i + 1) + ": " + problem);
                }
            }
        }
        return new UsageReport(models, tools, count, problems);
    }

    /** Adds the line's usage; returns what is wrong with it instead, if anything. */
    private static String read(String line, Map<String, UsageReport.Tokens> models,
            Map<String, UsageReport.ToolCalls> tools) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (IOException e) {
            return "not JSON";
        }
        if (node == null || !node.isObject()) {
            return "not a JSON object";
        }
        String type = node.path("type").asText("");
        switch (type) {
            case "llm" -> {
                String model = node.path("model").asText("");
                if (model.isBlank()) {
                    return "an llm line needs a \"model\"";
                }
                Long input = count(node, "inputTokens");
                Long cached = count(node, "cachedInputTokens");
                Long output = count(node, "outputTokens");
                if (input == null || cached == null || output == null) {
                    return "inputTokens, cachedInputTokens and outputTokens must be whole numbers >= 0";
                }
                models.merge(model, new UsageReport.Tokens(input, cached, output), UsageReport.Tokens::plus);
                return null;
            }
            case "tool" -> {
                String name = node.path("name").asText("");
                if (name.isBlank()) {
                    return "a tool line needs a \"name\"";
                }
                Long duration = count(node, "durationMs");
                if (duration == null) {
                    return "durationMs must be a whole number >= 0";
                }
                tools.merge(name, new UsageReport.ToolCalls(1, duration), UsageReport.ToolCalls::plus);
                return null;
            }
            default -> {
                return "\"type\" must be \"llm\" or \"tool\"";
            }
        }
    }

    /** A missing field counts 0; anything but a non-negative whole number is a problem (null). */
    private static Long count(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return 0L;
        }
        if (!value.isNumber() || !value.canConvertToExactIntegral() || !value.canConvertToLong() || value.asLong() < 0) {
            return null;
        }
        return value.asLong();
    }
}
