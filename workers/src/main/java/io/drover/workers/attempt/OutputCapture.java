package io.drover.workers.attempt;

import io.drover.sandbox.OutputSink;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes an attempt's output (stdout and stderr interleaved as they arrive) to its log file and
 * keeps the last {@code tailBytes} in memory for the database.
 */
public final class OutputCapture implements OutputSink, AutoCloseable {
    private final OutputStream file;
    private final byte[] ring;
    private long written;

    public OutputCapture(Path logFile, int tailBytes) {
        try {
            Files.createDirectories(logFile.getParent());
            this.file = Files.newOutputStream(logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the attempt log " + logFile, e);
        }
        this.ring = new byte[tailBytes];
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        try {
            file.write(bytes, offset, length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < length; i++) {
            ring[(int) ((written + i) % ring.length)] = bytes[offset + i];
        }
        written += length;
    }

    public void line(String text) {
        byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
        write(bytes, 0, bytes.length);
    }

    /** The last bytes written, decoded as UTF-8 (a split character at the start is replaced). */
    public synchronized String tail() {
        int size = (int) Math.min(written, ring.length);
        byte[] out = new byte[size];
        long start = written - size;
        for (int i = 0; i < size; i++) {
            out[i] = ring[(int) ((start + i) % ring.length)];
        }
        return new String(out, StandardCharsets.UTF_8).replace("\u0000", "");
    }

    @Override
    public synchronized void close() {
        try {
            file.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
