package io.drover.sandbox.microvm.agent;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drover's end of one guest agent's virtio-serial port, reached through the unix socket QEMU
 * serves it on. One reader thread splits the incoming frames by channel; writes are serialized.
 */
public final class AgentConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentConnection.class);

    private final SocketChannel socket;
    private final AgentChannels channels;
    private final Thread reader;
    private volatile boolean closing;

    private AgentConnection(SocketChannel socket, AgentChannels channels, String name) {
        this.socket = socket;
        this.channels = channels;
        this.reader = new Thread(this::readLoop, "agent-" + name);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    public static AgentConnection connect(Path socketPath, AgentChannels channels, String name) throws IOException {
        SocketChannel socket = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            socket.connect(UnixDomainSocketAddress.of(socketPath));
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return new AgentConnection(socket, channels, name);
    }

    public void send(byte type, int channel, byte[] payload) throws IOException {
        ByteBuffer frame = AgentProtocol.frame(type, channel, payload);
        synchronized (socket) {
            while (frame.hasRemaining()) {
                socket.write(frame);
            }
        }
    }

    public void exec(int channel, String cwd, String script, java.util.Map<String, String> env, boolean merged)
            throws IOException {
        send(AgentProtocol.EXEC, channel, AgentProtocol.exec(cwd, script, env, merged));
    }

    public void kill(int channel) throws IOException {
        send(AgentProtocol.KILL, channel, new byte[0]);
    }

    /**
     * Pings until the agent answers, which is how a booting guest reports readiness; pings sent
     * before the agent started wait in the port and are answered late, and ignored then.
     */
    public String awaitReady(Duration timeout) throws IOException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("the guest agent did not answer within " + timeout.toSeconds() + " s");
            }
            try {
                byte[] pong = request(AgentProtocol.PING, "ready".getBytes(StandardCharsets.US_ASCII),
                        Duration.ofNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(250))));
                String answer = new String(pong, StandardCharsets.UTF_8);
                if (!answer.startsWith(AgentProtocol.NAME + " ")) {
                    throw new IOException("the guest agent speaks '" + answer + "', this driver " + AgentProtocol.NAME
                            + "; rebuild the guest image");
                }
                return answer.substring(0, answer.indexOf(' '));
            } catch (TimeoutException e) {
                // not up yet: ping again
            }
        }
    }

    /** Sets the guest's clock to now, mixes {@code seed} into its RNG and reseeds it, sets its hostname. */
    public void identity(byte[] seed, String hostname, Duration timeout)
            throws IOException, TimeoutException, InterruptedException {
        java.time.Instant now = java.time.Instant.now();
        long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        byte[] answer = request(AgentProtocol.IDENTITY, AgentProtocol.identity(nanos, seed, hostname), timeout);
        String status = new String(answer, StandardCharsets.UTF_8);
        if (!status.equals("ok")) {
            throw new IOException("the guest could not take its new identity: " + status);
        }
    }

    /**
     * Mounts the clone's own disk (/dev/vdb, {@code bytes} long) in the guest and puts overlays on
     * /workspace and /tmp whose upper layers live on it; again on a guest that did it: nothing.
     */
    public void disk(long bytes, Duration timeout) throws IOException, TimeoutException, InterruptedException {
        byte[] answer = request(AgentProtocol.DISK, AgentProtocol.disk(bytes), timeout);
        String status = new String(answer, StandardCharsets.UTF_8);
        if (!status.equals("ok")) {
            throw new IOException("the guest could not mount the sandbox's disk: " + status);
        }
    }

    /** Flushes the guest's file systems to its disk. */
    public void sync(Duration timeout) throws IOException, TimeoutException, InterruptedException {
        request(AgentProtocol.SYNC, new byte[0], timeout);
    }

    /** The file's first {@code maxBytes} bytes, or null when it is no regular file under /workspace. */
    public byte[] readFile(String path, long maxBytes, Duration timeout)
            throws IOException, TimeoutException, InterruptedException {
        byte[] answer = request(AgentProtocol.READ_FILE, AgentProtocol.readFile(path, maxBytes), timeout);
        if (answer.length == 0 || answer[0] != 0) {
            return null;
        }
        return java.util.Arrays.copyOfRange(answer, 1, answer.length);
    }

    private byte[] request(byte type, byte[] payload, Duration timeout)
            throws IOException, TimeoutException, InterruptedException {
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        int channel = channels.open(new FrameListener() {
            @Override
            public void frame(byte t, byte[] p) {
                if (t == AgentProtocol.EXEC_ERROR) {
                    reply.completeExceptionally(new IOException("the guest agent refused: " + new String(p,
                            StandardCharsets.UTF_8)));
                } else {
                    reply.complete(p);
                }
            }

            @Override
            public void lost(String why) {
                reply.completeExceptionally(new IOException(why));
            }
        });
        try {
            send(type, channel, payload);
            return reply.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } finally {
            channels.close(channel);
        }
    }

    private void readLoop() {
        AgentChannels c = channels;
        String why = "the guest agent's connection closed";
        try {
            while (true) {
                if (c.payload == null) {
                    if (!fill(c.header)) {
                        break;
                    }
                    c.header.flip();
                    c.type = c.header.get();
                    c.channel = c.header.getInt();
                    int length = c.header.getInt();
                    c.header.clear();
                    if (length < 0 || length > AgentProtocol.MAX_PAYLOAD) {
                        why = "the guest agent sent a frame of " + Integer.toUnsignedString(length) + " bytes";
                        break;
                    }
                    c.payload = ByteBuffer.allocate(length);
                }
                if (!fill(c.payload)) {
                    break;
                }
                byte[] payload = c.payload.array();
                c.payload = null;
                channels.deliver(c.channel, c.type, payload);
            }
        } catch (IOException e) {
            why = "the guest agent's connection failed: " + e.getMessage();
        } catch (RuntimeException e) {
            why = "a frame of the guest agent could not be handled: " + e;
            LOG.warn("Guest agent frame handling failed", e);
        }
        if (!closing) {
            channels.failAll(why);
        }
    }

    private boolean fill(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (socket.read(buffer) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The VM is about to be saved and its QEMU process to end: the end of this connection is
     * expected, and the open channels stay open for the next process's connection.
     */
    public void expectEnd() {
        closing = true;
    }

    /** After {@link #expectEnd()} and the QEMU process's exit: reads what is left up to the end, then closes. */
    public void awaitEnd(Duration timeout) {
        try {
            reader.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close(true);
    }

    /**
     * Closes this connection. {@code planned}: the VM is being saved and will be restored, so the
     * open channels stay open for the next connection; otherwise they are told the guest is gone.
     */
    public void close(boolean planned) {
        closing = planned;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(false);
    }
}
