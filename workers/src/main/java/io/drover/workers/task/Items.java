package io.drover.workers.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fan-out item is a JSON object of named values. Scalars are used as their text; objects and
 * arrays as their JSON.
 */
public final class Items {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Items() {
    }

    public static Map<String, String> values(String itemJson) {
        try {
            JsonNode node = JSON.readTree(itemJson);
            Map<String, String> values = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> values.put(e.getKey(), text(e.getValue())));
            return values;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("item is not a JSON object: " + itemJson, e);
        }
    }

    public static String text(JsonNode value) {
        return value.isValueNode() ? value.asText() : value.toString();
    }
}
