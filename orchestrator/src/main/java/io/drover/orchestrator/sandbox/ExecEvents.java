package io.drover.orchestrator.sandbox;

import io.drover.sandbox.OutputSink;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A command's output as a sequence of events, for streaming it to a caller while it runs. The
 * driver's pump threads write through {@link #stdout()} and {@link #stderr()}; the caller takes
 * the events in the order they arrived. Bytes are decoded as UTF-8 per stream, so a character
 * split across two reads is never mangled. Unbounded: a caller that stops reading holds the
 * command's output in memory, so callers read until the command ends.
 */
public final class ExecEvents {

    /** A piece of output: {@code stream} is {@code stdout} or {@code stderr}. */
    public record Output(String stream, String text) {
    }

    private final BlockingQueue<Output> queue = new LinkedBlockingQueue<>();
    private final Stream stdout = new Stream("stdout");
    private final Stream stderr = new Stream("stderr");

    public OutputSink stdout() {
        return stdout;
    }

    public OutputSink stderr() {
        return stderr;
    }

    /** The next piece of output, waiting at most {@code wait}; null when none came. */
    public Output next(Duration wait) throws InterruptedException {
        return queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Output not yet taken, after the command ended (pump threads have finished writing). */
    public Output remaining() {
        stdout.finish();
        stderr.finish();
        return queue.poll();
    }

    private final class Stream implements OutputSink {
        private final String name;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        private ByteBuffer pending = ByteBuffer.allocate(0);
        private boolean finished;

        Stream(String name) {
            this.name = name;
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            ByteBuffer in = ByteBuffer.allocate(pending.remaining() + length);
            in.put(pending).put(bytes, offset, length).flip();
            CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
            decoder.decode(in, out, false);
            pending = in.slice();
            emit(out);
        }

        synchronized void finish() {
            if (finished) {
                return;
            }
            finished = true;
            CharBuffer out = CharBuffer.allocate(pending.remaining() + 1);
            decoder.decode(pending, out, true);
            decoder.flush(out);
            pending = ByteBuffer.allocate(0);
            emit(out);
        }

        private void emit(CharBuffer out) {
            out.flip();
            if (out.hasRemaining()) {
                queue.add(new Output(name, out.toString()));
            }
        }
    }
}
