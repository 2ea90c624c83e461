package io.drover.sandbox.microvm.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * A QEMU Machine Protocol client over QEMU's unix socket: one JSON object per line each way.
 * Commands are sent one at a time; asynchronous events arriving in between are skipped (this
 * driver polls state with query commands instead).
 */
public final class QmpClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SocketChannel socket;
    private final ByteBuffer in = ByteBuffer.allocate(65536);
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    private QmpClient(SocketChannel socket) {
        this.socket = socket;
        in.flip();
    }

    /** Connects, reads the greeting and leaves capabilities negotiation mode. */
    public static QmpClient connect(Path socketPath) throws IOException {
        SocketChannel socket = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            socket.connect(UnixDomainSocketAddress.of(socketPath));
            QmpClient client = new QmpClient(socket);
            JsonNode greeting = client.readMessage();
            if (!greeting.has("QMP")) {
                throw new IOException("not a QMP greeting: " + greeting);
            }
            client.execute("qmp_capabilities", Map.of());
            return client;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Runs {@code command}; returns its {@code return} value, or throws with QEMU's error description. */
    public synchronized JsonNode execute(String command, Map<String, ?> arguments) throws IOException {
        ObjectNode request = JSON.createObjectNode().put("execute", command);
        if (!arguments.isEmpty()) {
            request.set("arguments", JSON.valueToTree(arguments));
        }
        ByteBuffer out = ByteBuffer.wrap((JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
            socket.write(out);
        }
        while (true) {
            JsonNode message = readMessage();
            if (message.has("return")) {
                return message.get("return");
            }
            if (message.has("error")) {
                throw new IOException("QEMU refused " + command + ": " + message.get("error").path("desc").asText());
            }
            // an event: skipped
        }
    }

    public JsonNode execute(String command) throws IOException {
        return execute(command, Map.of());
    }

    private JsonNode readMessage() throws IOException {
        line.reset();
        while (true) {
            while (in.hasRemaining()) {
                byte b = in.get();
                if (b == '\n') {
                    String text = line.toString(StandardCharsets.UTF_8).trim();
                    line.reset();
                    if (!text.isEmpty()) {
                        return JSON.readTree(text);
                    }
                } else {
                    line.write(b);
                }
            }
            in.clear();
            int n = socket.read(in);
            in.flip();
            if (n < 0) {
                throw new IOException("QEMU closed its QMP socket");
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // QEMU may be gone already
        }
    }
}
