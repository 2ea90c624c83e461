package io.drover.scheduler.gitsync;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * One {@code ---}-separated document of a spec file, with the line of each of its fields so that a
 * problem with {@code spec.fanout.items[2]} can be reported at the line where that item is written.
 *
 * @param line  the line where the document starts (1-based)
 * @param lines the line of each JSON pointer ({@code /spec/fanout/items/2}) in the document
 */
public record SpecDocument(int line, JsonNode tree, Map<String, Integer> lines) {

    /** The line of a field path such as {@code spec.task.env.FOO} or {@code spec.fanout.items[2]}; the
     *  nearest enclosing field's line if the field itself is missing (e.g. a required field). */
    public int lineOf(String field) {
        String pointer = "/" + field.replace("[", ".").replace("]", "").replace('.', '/');
        while (!pointer.isEmpty()) {
            Integer at = lines.get(pointer);
            if (at != null) {
                return at;
            }
            pointer = pointer.substring(0, pointer.lastIndexOf('/'));
        }
        return line;
    }
}
