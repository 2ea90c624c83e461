package io.drover.workers.attempt;

import io.drover.sandbox.OutputSink;
import java.nio.charset.StandardCharsets;

/** Keeps the last {@code limit} bytes written to it. */
public final class TailBuffer implements OutputSink {
    private final byte[] ring;
    private long written;

    public TailBuffer(int limit) {
        this.ring = new byte[limit];
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        for (int i = 0; i < length; i++) {
            ring[(int) ((written + i) % ring.length)] = bytes[offset + i];
        }
        written += length;
    }

    /** The bytes kept, decoded as UTF-8 (a character cut at the start is replaced). */
    public synchronized String text() {
        int size = (int) Math.min(written, ring.length);
        byte[] out = new byte[size];
        long start = written - size;
        for (int i = 0; i < size; i++) {
            out[i] = ring[(int) ((start + i) % ring.length)];
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
