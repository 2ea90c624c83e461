package io.drover.sandbox.secret;

import io.drover.sandbox.OutputSink;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Replaces each occurrence of a secret's value in a byte stream with {@code [redacted:<name>]}
 * before it reaches {@code downstream}, however the stream is cut into writes: bytes that may be
 * the start of a value are held back (at most the longest value's length less one) until the
 * next write or {@link #flush()} decides them. Where values overlap at one place, the longest wins.
 *
 * <p>Values shorter than {@link #MIN_BYTES} are not redacted: replacing every "1" or "ok" would
 * garble the whole log, and where the marks stand would tell the value anyway. Such a value is not
 * a secret worth the name.
 */
public final class Redactor implements OutputSink {
    public static final int MIN_BYTES = 4;

    private record Value(byte[] bytes, byte[] mark) {
    }

    private final OutputSink downstream;
    private final List<Value> values = new ArrayList<>();
    private byte[] pending = new byte[0];

    /** @param valuesByName each secret's value by its name */
    public Redactor(Map<String, String> valuesByName, OutputSink downstream) {
        this.downstream = downstream;
        valuesByName.forEach((name, value) -> {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            if (bytes.length >= MIN_BYTES) {
                values.add(new Value(bytes, ("[redacted:" + name + "]").getBytes(StandardCharsets.UTF_8)));
            }
        });
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        if (values.isEmpty()) {
            downstream.write(bytes, offset, length);
            return;
        }
        byte[] joined = Arrays.copyOf(pending, pending.length + length);
        System.arraycopy(bytes, offset, joined, pending.length, length);
        pending = joined;
        drain(false);
    }

    /** Passes on what is held back: the stream ends here, so a value cut short is no value. */
    public synchronized void flush() {
        drain(true);
    }

    private void drain(boolean end) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(pending.length + 64);
        int i = 0;
        while (i < pending.length) {
            Value match = null;
            int undecided = 0;
            for (Value v : values) {
                int seen = matched(v.bytes, i);
                if (seen == v.bytes.length) {
                    match = match == null || v.bytes.length > match.bytes.length ? v : match;
                } else if (seen == pending.length - i && !end) {
                    // What is here so far starts this value: the next write decides.
                    undecided = Math.max(undecided, v.bytes.length);
                }
            }
            if (undecided > (match == null ? 0 : match.bytes.length)) {
                break;
            }
            if (match != null) {
                out.writeBytes(match.mark);
                i += match.bytes.length;
            } else {
                out.write(pending[i]);
                i++;
            }
        }
        pending = Arrays.copyOfRange(pending, i, pending.length);
        if (out.size() > 0) {
            downstream.write(out.toByteArray(), 0, out.size());
        }
    }

    /** How many of {@code value}'s bytes match from {@code at}, up to the end of what is pending. */
    private int matched(byte[] value, int at) {
        int n = Math.min(value.length, pending.length - at);
        for (int k = 0; k < n; k++) {
            if (pending[at + k] != value[k]) {
                return -1;
            }
        }
        return n;
    }
}
