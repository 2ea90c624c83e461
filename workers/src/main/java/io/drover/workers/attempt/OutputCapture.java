package io.drover.workers.attempt;

import io.drover.sandbox.OutputSink;
import io.drover.sandbox.secret.Redactor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes an attempt's output (stdout and stderr interleaved as they arrive) to its log file and
 * keeps the last {@code tailBytes} in memory for the database; once {@link #redact} is called, the
 * values of the attempt's secrets reach neither.
 */
public final class OutputCapture implements OutputSink, AutoCloseable {
    private final OutputStream file;
    private final TailBuffer tail;
    private Redactor redactor;

    public OutputCapture(Path logFile, int tailBytes) {
        try {
            Files.createDirectories(logFile.getParent());
            this.file = Files.newOutputStream(logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the attempt log " + logFile, e);
        }
        this.tail = new TailBuffer(tailBytes);
    }

    /** From now on, replaces each of these values (by secret name) with {@code [redacted:<name>]}. */
    public synchronized void redact(Map<String, String> valuesByName) {
        if (redactor != null) {
            redactor.flush();
        }
        redactor = valuesByName.isEmpty() ? null : new Redactor(valuesByName, this::store);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        if (redactor != null) {
            redactor.write(bytes, offset, length);
        } else {
            store(bytes, offset, length);
        }
    }

    private void store(byte[] bytes, int offset, int length) {
        try {
            file.write(bytes, offset, length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        tail.write(bytes, offset, length);
    }

    public void line(String text) {
        byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
        write(bytes, 0, bytes.length);
    }

    /** The last bytes written, decoded as UTF-8 (a split character at the start is replaced). */
    public synchronized String tail() {
        if (redactor != null) {
            redactor.flush();
        }
        return tail.text().replace("\u0000", "");
    }

    @Override
    public synchronized void close() {
        try {
            if (redactor != null) {
                redactor.flush();
            }
            file.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
