package io.drover.workers.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Passes a server-sent event stream through to the caller event by event, as it arrives, and reads
 * the usage and model out of the chunks on the way. When the gateway asked for usage on the
 * caller's behalf, the usage-only chunk (empty {@code choices}, a {@code usage}) is not passed on,
 * so that the caller receives the stream it asked for.
 */
public final class SseRelay {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A longer line is passed on without being read for usage. */
    static final int MAX_PARSED_EVENT = 1 << 20;

    /**
     * What the stream said about itself; {@code usage} is null when no chunk carried one;
     * {@code callerGone} when the caller stopped reading before the end.
     */
    public record Seen(String model, JsonNode usage, int events, int dropped, boolean callerGone) {
    }

    private SseRelay() {
    }

    /**
     * @param stripUsageChunk drop the chunk that carries only usage (the caller did not ask for it)
     */
    public static Seen relay(InputStream upstream, OutputStream caller, boolean stripUsageChunk) throws IOException {
        ByteArrayOutputStream event = new ByteArrayOutputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        String model = null;
        JsonNode usage = null;
        int events = 0;
        int dropped = 0;
        // A caller that went away stops receiving, but the stream is read to its end: its usage was spent.
        boolean callerGone = false;
        byte[] buffer = new byte[8192];
        int n;
        while ((n = upstream.read(buffer)) != -1) {
            for (int i = 0; i < n; i++) {
                line.write(buffer[i]);
                if (buffer[i] != '\n') {
                    continue;
                }
                boolean blank = isBlank(line);
                line.writeTo(event);
                line.reset();
                if (blank) {
                    Chunk chunk = Chunk.of(event);
                    events++;
                    if (chunk.model() != null) {
                        model = chunk.model();
                    }
                    if (chunk.usage() != null) {
                        usage = chunk.usage();
                    }
                    if (stripUsageChunk && chunk.usageOnly()) {
                        dropped++;
                    } else if (!callerGone) {
                        callerGone = !pass(event, caller);
                    }
                    event.reset();
                }
            }
        }
        line.writeTo(event);
        if (event.size() > 0 && !callerGone) {
            callerGone = !pass(event, caller);
        }
        return new Seen(model, usage, events, dropped, callerGone);
    }

    private static boolean pass(ByteArrayOutputStream event, OutputStream caller) {
        try {
            event.writeTo(caller);
            caller.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isBlank(ByteArrayOutputStream line) {
        int size = line.size();
        if (size == 1) {
            return true;
        }
        return size == 2 && line.toByteArray()[0] == '\r';
    }

    /** The JSON of one event's {@code data:} lines, as far as the relay cares. */
    private record Chunk(String model, JsonNode usage, boolean usageOnly) {
        static final Chunk NONE = new Chunk(null, null, false);

        static Chunk of(ByteArrayOutputStream event) {
            if (event.size() > MAX_PARSED_EVENT) {
                return NONE;
            }
            StringBuilder data = new StringBuilder();
            for (String l : event.toString(StandardCharsets.UTF_8).split("\r?\n")) {
                if (l.startsWith("data:")) {
                    data.append(l.substring(l.startsWith("data: ") ? 6 : 5)).append('\n');
                }
            }
            String payload = data.toString().trim();
            if (payload.isEmpty() || payload.equals("[DONE]") || !payload.startsWith("{")) {
                return NONE;
            }
            JsonNode json;
            try {
                json = JSON.readTree(payload);
            } catch (IOException e) {
                return NONE;
            }
            JsonNode usage = json.get("usage");
            if (usage == null || !usage.isObject()) {
                usage = null;
            }
            JsonNode choices = json.get("choices");
            boolean usageOnly = usage != null && choices != null && choices.isArray() && choices.isEmpty();
            return new Chunk(json.path("model").isTextual() ? json.get("model").asText() : null, usage, usageOnly);
        }
    }
}
