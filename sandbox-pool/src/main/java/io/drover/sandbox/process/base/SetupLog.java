package io.drover.sandbox.process.base;

import io.drover.sandbox.OutputSink;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The combined output of a base's setup: all of it to a file, the last bytes kept for the error message. */
public final class SetupLog implements OutputSink, AutoCloseable {
    private static final int TAIL_BYTES = 4096;

    private final OutputStream file;
    private final byte[] tail = new byte[TAIL_BYTES];
    private long written;

    public SetupLog(Path path) {
        try {
            this.file = Files.newOutputStream(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the setup log " + path, e);
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        try {
            file.write(bytes, offset, length);
        } catch (IOException e) {
            // The tail still reaches the error message; a full disk must not hide why setup failed.
        }
        for (int i = 0; i < length; i++) {
            tail[(int) (written++ % TAIL_BYTES)] = bytes[offset + i];
        }
    }

    public synchronized void line(String text) {
        byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
        write(bytes, 0, bytes.length);
    }

    public synchronized String tail() {
        int size = (int) Math.min(written, TAIL_BYTES);
        byte[] out = new byte[size];
        for (int i = 0; i < size; i++) {
            out[i] = tail[(int) ((written - size + i) % TAIL_BYTES)];
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void close() {
        try {
            file.close();
        } catch (IOException ignored) {
            // nothing more will be written
        }
    }
}
