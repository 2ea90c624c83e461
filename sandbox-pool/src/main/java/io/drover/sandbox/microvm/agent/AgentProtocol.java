package io.drover.sandbox.microvm.agent;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Version 1 of the guest agent protocol (docs/microvm.md): frames of {@code type (1 byte) |
 * channel (u32 BE) | length (u32 BE) | payload} over one virtio-serial port. The host picks the
 * channel of each request; every reply and output frame carries it back.
 */
public final class AgentProtocol {
    public static final int VERSION = 1;
    public static final String NAME = "drover-agent/" + VERSION;
    /** The virtio-serial port name the guest's init looks for. */
    public static final String PORT_NAME = "io.drover.agent";
    static final int HEADER = 9;
    static final int MAX_PAYLOAD = 64 << 20;

    // host to guest
    static final byte PING = 'P';
    static final byte EXEC = 'X';
    static final byte KILL = 'K';
    static final byte IDENTITY = 'I';
    static final byte SYNC = 'S';
    static final byte READ_FILE = 'F';
    /** Added within version 1: a guest built before it answers {@link #EXEC_ERROR} (unknown frame type). */
    static final byte DISK = 'D';
    // guest to host
    static final byte PONG = 'p';
    static final byte STDOUT = 'O';
    static final byte STDERR = 'E';
    static final byte EXIT = 'x';
    static final byte EXEC_ERROR = 'e';
    static final byte IDENTITY_SET = 'i';
    static final byte SYNCED = 's';
    static final byte FILE = 'f';
    static final byte DISK_MOUNTED = 'd';

    private AgentProtocol() {
    }

    static ByteBuffer frame(byte type, int channel, byte[] payload) {
        ByteBuffer buffer = ByteBuffer.allocate(HEADER + payload.length);
        buffer.put(type).putInt(channel).putInt(payload.length).put(payload).flip();
        return buffer;
    }

    /** flags (bit 0: stderr joins stdout) | cwd NUL | script NUL | (NAME=value NUL)* */
    static byte[] exec(String cwd, String script, Map<String, String> env, boolean merged) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(merged ? 1 : 0);
        cString(out, cwd);
        cString(out, script);
        new TreeMap<>(env).forEach((k, v) -> {
            if (k.isEmpty() || k.indexOf('=') >= 0 || k.indexOf('\0') >= 0 || v.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("environment variable '" + k + "': names must be non-empty"
                        + " without '=' or NUL, values without NUL");
            }
            cString(out, k + "=" + v);
        });
        return out.toByteArray();
    }

    /** epoch nanoseconds (u64 BE) | 32 seed bytes | hostname NUL */
    static byte[] identity(long epochNanos, byte[] seed, String hostname) {
        if (seed.length != 32) {
            throw new IllegalArgumentException("the seed must be 32 bytes");
        }
        byte[] host = hostname.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(8 + 32 + host.length + 1).putLong(epochNanos).put(seed).put(host).put((byte) 0)
                .array();
    }

    /** the disk's size in bytes (u64 BE), as the guest must see it before it mounts the disk */
    static byte[] disk(long bytes) {
        return ByteBuffer.allocate(8).putLong(bytes).array();
    }

    /** max bytes (u64 BE) | path NUL */
    static byte[] readFile(String path, long maxBytes) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + p.length + 1).putLong(maxBytes).put(p).put((byte) 0).array();
    }

    private static void cString(ByteArrayOutputStream out, String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a command's script and working directory cannot hold NUL characters");
        }
        out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
        out.write(0);
    }
}
