package io.drover.orchestrator.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Expands a fan-out whose items are known up front (items, matrix) into item JSON objects, in index order. */
public final class Fanouts {
    static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    private static final ObjectMapper JSON = new ObjectMapper();

    private Fanouts() {
    }

    public static List<String> expand(JobSpec.Fanout fanout) {
        if (fanout.items() != null) {
            return fanout.items().stream().map(Fanouts::json).toList();
        }
        if (fanout.matrix() != null) {
            List<Map<String, Object>> combinations = new ArrayList<>();
            combinations.add(new LinkedHashMap<>());
            fanout.matrix().forEach((name, values) -> {
                List<Map<String, Object>> next = new ArrayList<>(combinations.size() * values.size());
                for (Map<String, Object> partial : combinations) {
                    for (Object value : values) {
                        Map<String, Object> combined = new LinkedHashMap<>(partial);
                        combined.put(name, value);
                        next.add(combined);
                    }
                }
                combinations.clear();
                combinations.addAll(next);
            });
            return combinations.stream().map(Fanouts::json).toList();
        }
        throw new IllegalArgumentException("a fromCommand fan-out is expanded by running its command");
    }

    /** One output line of a fromCommand: a JSON object is used as it is, anything else becomes {"item": line}. */
    public static String itemOfLine(String line) {
        String trimmed = line.strip();
        if (trimmed.startsWith("{")) {
            try {
                Map<String, Object> object = JSON.readValue(trimmed, MAP);
                if (!object.isEmpty()) {
                    return json(object);
                }
            } catch (JsonProcessingException e) {
                // not JSON after all: the line is a plain item
            }
        }
        Map<String, Object> single = new LinkedHashMap<>();
        single.put("item", trimmed);
        return json(single);
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
