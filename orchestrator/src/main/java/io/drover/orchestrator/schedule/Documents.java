package io.drover.orchestrator.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Stored spec documents, and the one-off job document a schedule's fire submits. */
final class Documents {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Documents() {
    }

    static String json(JsonNode document) {
        try {
            return JSON.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The stored document without its {@code spec.schedule}: one run of it is an ordinary job. */
    static JsonNode withoutSchedule(String json) {
        try {
            JsonNode document = JSON.readTree(json);
            if (document.get("spec") instanceof ObjectNode spec) {
                spec.remove("schedule");
            }
            return document;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored spec is not JSON", e);
        }
    }
}
