package io.drover.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.cli.output.Format;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** A query string from name/value pairs, leaving out the values that are null. */
final class Query {
    private Query() {
    }

    static String of(Object... namesAndValues) {
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            Object value = namesAndValues[i + 1];
            if (value != null) {
                query.append(query.length() == 0 ? '?' : '&').append(namesAndValues[i]).append('=')
                        .append(URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
            }
        }
        return query.toString();
    }

    /** On a table, tells (on stderr, so the table stays clean) how to get the next page. */
    static void morePages(JsonNode page, Format format, PrintWriter err) {
        if (format == Format.TABLE && page.hasNonNull("nextCursor")) {
            err.println("(more: --cursor " + page.get("nextCursor").asText() + ")");
            err.flush();
        }
    }
}
