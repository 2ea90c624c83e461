package io.drover.orchestrator.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads typed fields out of a JSON tree, collecting an error per bad field instead of stopping at the first. */
final class Fields {
    final List<FieldError> errors = new ArrayList<>();

    void error(String path, String message) {
        errors.add(new FieldError(path, message));
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Flags every key of {@code node} that is not in {@code allowed}. */
    void onlyKnown(JsonNode node, String path, Set<String> allowed) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                error(join(path, name), "unknown field; expected one of " + String.join(", ", allowed));
            }
        }
    }

    Optional<JsonNode> object(JsonNode parent, String key, String path, boolean required) {
        JsonNode node = parent.get(key);
        String at = join(path, key);
        if (node == null || node.isNull()) {
            if (required) {
                error(at, "is required");
            }
            return Optional.empty();
        }
        if (!node.isObject()) {
            error(at, "must be a map");
            return Optional.empty();
        }
        return Optional.of(node);
    }

    Optional<String> string(JsonNode parent, String key, String path, boolean required) {
        JsonNode node = parent.get(key);
        String at = join(path, key);
        if (node == null || node.isNull()) {
            if (required) {
                error(at, "is required");
            }
            return Optional.empty();
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            error(at, "must be a non-empty string");
            return Optional.empty();
        }
        return Optional.of(node.asText());
    }

    int integer(JsonNode parent, String key, String path, int defaultValue, int min, int max) {
        JsonNode node = parent.get(key);
        if (node == null || node.isNull()) {
            return defaultValue;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < min || node.asInt() > max) {
            error(join(path, key), "must be a whole number from " + min + " to " + max);
            return defaultValue;
        }
        return node.asInt();
    }

    double number(JsonNode parent, String key, String path, double defaultValue, double min, double max) {
        JsonNode node = parent.get(key);
        if (node == null || node.isNull()) {
            return defaultValue;
        }
        if (!node.isNumber() || node.asDouble() < min || node.asDouble() > max) {
            error(join(path, key), "must be a number from " + min + " to " + max);
            return defaultValue;
        }
        return node.asDouble();
    }

    long durationMs(JsonNode parent, String key, String path, long defaultMs, long minMs, long maxMs) {
        JsonNode node = parent.get(key);
        if (node == null || node.isNull()) {
            return defaultMs;
        }
        String at = join(path, key);
        Optional<java.time.Duration> parsed = node.isTextual() ? Durations.parse(node.asText()) : Optional.empty();
        if (parsed.isEmpty()) {
            error(at, "must be a duration such as 30s, 10m, 1h30m or PT10M");
            return defaultMs;
        }
        long ms = parsed.get().toMillis();
        if (ms < minMs || ms > maxMs) {
            error(at, "must be from " + java.time.Duration.ofMillis(minMs) + " to " + java.time.Duration.ofMillis(maxMs));
            return defaultMs;
        }
        return ms;
    }

    /** A map of names to scalar values, as strings (env vars, labels). */
    /** Flags {@code value} (if there is one) longer than {@code max} UTF-8 bytes. */
    void atMost(String path, String value, int max) {
        if (value != null && value.length() > max / 4 && value.getBytes(StandardCharsets.UTF_8).length > max) {
            error(path, "must be at most " + max / 1024 + " KiB, is " + value.getBytes(StandardCharsets.UTF_8).length
                    / 1024 + " KiB");
        }
    }

    Map<String, String> stringMap(JsonNode parent, String key, String path) {
        Map<String, String> map = new LinkedHashMap<>();
        object(parent, key, path, false).ifPresent(node -> node.fields().forEachRemaining(e -> {
            if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                map.put(e.getKey(), e.getValue().asText());
            } else {
                error(join(join(path, key), e.getKey()), "must be a string, number or boolean");
            }
        }));
        return map;
    }

    List<String> stringList(JsonNode parent, String key, String path) {
        JsonNode node = parent.get(key);
        List<String> list = new ArrayList<>();
        if (node == null || node.isNull()) {
            return list;
        }
        String at = join(path, key);
        if (!node.isArray()) {
            error(at, "must be a list of strings");
            return list;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode element = node.get(i);
            if (element.isTextual() && !element.asText().isBlank()) {
                list.add(element.asText());
            } else {
                error(at + "[" + i + "]", "must be a non-empty string");
            }
        }
        return list;
    }
}
