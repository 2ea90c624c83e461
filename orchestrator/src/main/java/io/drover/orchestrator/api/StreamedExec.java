package io.drover.orchestrator.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.orchestrator.sandbox.ExecEvents;
import io.drover.sandbox.ExecResult;
import io.drover.sandbox.Execution;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A running exec written to the caller as newline-delimited JSON while it runs: one
 * {@code {"stdout": "..."}} or {@code {"stderr": "..."}} object per piece of output, as it comes,
 * then {@code {"exitCode", "termination", "durationMs"}}. A caller that goes away kills the command.
 */
final class StreamedExec implements StreamingOutput {
    static final String MEDIA_TYPE = "application/x-ndjson";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(50);

    private final Execution execution;
    private final ExecEvents events;

    StreamedExec(Execution execution, ExecEvents events) {
        this.execution = execution;
        this.events = events;
    }

    @Override
    public void write(OutputStream out) throws IOException {
        CompletableFuture<ExecResult> result = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try {
                result.complete(execution.await());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "exec-stream-wait");
        waiter.setDaemon(true);
        waiter.start();
        try {
            while (!result.isDone()) {
                ExecEvents.Output piece = events.next(POLL);
                if (piece != null) {
                    line(out, Map.of(piece.stream(), piece.text()));
                }
            }
            for (ExecEvents.Output piece = events.remaining(); piece != null; piece = events.remaining()) {
                line(out, Map.of(piece.stream(), piece.text()));
            }
            ExecResult done = result.join();
            Map<String, Object> end = new LinkedHashMap<>();
            end.put("exitCode", done.exitCode());
            end.put("termination", done.termination().name());
            end.put("durationMs", done.wallTime().toMillis());
            line(out, end);
        } catch (IOException | RuntimeException e) {
            execution.kill();
            throw e;
        } catch (InterruptedException e) {
            execution.kill();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while streaming an exec", e);
        }
    }

    private static void line(OutputStream out, Map<String, ?> event) throws IOException {
        out.write(JSON.writeValueAsBytes(event));
        out.write('\n');
        out.flush();
    }
}
