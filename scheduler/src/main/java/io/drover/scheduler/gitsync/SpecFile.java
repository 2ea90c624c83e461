package io.drover.scheduler.gitsync;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A YAML file of one or more specs. A file that is not valid YAML yields no documents and one
 * problem at the line of the error: none of its specs is trusted then.
 */
public record SpecFile(String path, List<SpecDocument> documents, Optional<SyncProblem> syntaxError) {
    private static final YAMLFactory YAML = (YAMLFactory) new YAMLFactory()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final ObjectMapper MAPPER = new ObjectMapper(YAML);

    public static SpecFile parse(String path, String text) {
        try {
            List<SpecDocument> documents = new ArrayList<>();
            List<JsonNode> trees = trees(text);
            List<Integer> starts = new ArrayList<>();
            List<Map<String, Integer>> lines = lines(text, starts);
            for (int i = 0; i < trees.size() && i < lines.size(); i++) {
                if (!trees.get(i).isNull() && !trees.get(i).isMissingNode()) {
                    documents.add(new SpecDocument(starts.get(i), trees.get(i), lines.get(i)));
                }
            }
            return new SpecFile(path, documents, Optional.empty());
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            int line = at == null ? 1 : Math.max(1, at.getLineNr());
            return new SpecFile(path, List.of(), Optional.of(new SyncProblem(path, line, "body",
                    "not valid YAML (" + e.getOriginalMessage().lines().findFirst().orElse("").strip() + "); the schedules of this file stay as they were")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<JsonNode> trees(String text) throws IOException {
        List<JsonNode> trees = new ArrayList<>();
        try (MappingIterator<JsonNode> it = MAPPER.readerFor(JsonNode.class).readValues(YAML.createParser(text))) {
            while (it.hasNextValue()) {
                trees.add(it.nextValue());
            }
        }
        return trees;
    }

    /** A second pass over the tokens: the line of every field and list element, per document. */
    private static List<Map<String, Integer>> lines(String text, List<Integer> starts) throws IOException {
        List<Map<String, Integer>> documents = new ArrayList<>();
        try (JsonParser p = YAML.createParser(text)) {
            Map<String, Integer> current = null;
            int depth = 0;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                int line = p.currentTokenLocation().getLineNr();
                if (depth == 0) {
                    current = new HashMap<>();
                    documents.add(current);
                    starts.add(line);
                }
                if (t != JsonToken.END_OBJECT && t != JsonToken.END_ARRAY) {
                    String pointer = p.getParsingContext().pathAsPointer().toString();
                    if (t.isStructStart() && p.getParsingContext().getParent() != null) {
                        pointer = p.getParsingContext().getParent().pathAsPointer().toString();
                    }
                    current.putIfAbsent(pointer, line);
                }
                if (t.isStructStart()) {
                    depth++;
                } else if (t.isStructEnd()) {
                    depth--;
                }
            }
        }
        return documents;
    }
}
