package io.drover.orchestrator.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;

/**
 * Reads a spec document, YAML or JSON, into a tree; syntax errors name the line and column. A
 * body holds one document: a second one after it is refused, not silently ignored.
 */
public final class SpecParser {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private SpecParser() {
    }

    public static JsonNode parse(String body, boolean json) {
        if (body == null || body.isBlank()) {
            throw new InvalidSpecException(List.of(new FieldError("body", "a job spec document is required")));
        }
        try {
            JsonNode node = (json ? JSON : YAML).readTree(body);
            if (node == null || node.isMissingNode() || node.isNull()) {
                throw new InvalidSpecException(List.of(new FieldError("body", "a job spec document is required")));
            }
            return node;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
            throw new InvalidSpecException(List.of(new FieldError("body",
                    where + "not valid " + (json ? "JSON" : "YAML") + " (" + e.getOriginalMessage() + ")")));
        }
    }
}
