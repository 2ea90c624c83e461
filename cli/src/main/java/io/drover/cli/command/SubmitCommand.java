package io.drover.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.cli.ExitCode;
import io.drover.cli.UsageException;
import io.drover.cli.output.Format;
import io.drover.cli.output.Values;
import io.drover.cli.watch.JobProgress;
import io.drover.cli.watch.JobWatch;
import io.drover.cli.watch.Progress;
import io.drover.cli.watch.ProgressBar;
import io.drover.cli.watch.ProgressLines;
import io.drover.cli.output.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "submit", mixinStandardHelpOptions = true,
        description = {"Submit a job spec (YAML or JSON; see docs/job-spec.md) and print the new job's id.",
            "With --wait, follow the job to its end: a progress bar on a terminal, a line every few seconds elsewhere;"
                    + " the exit code is then the job's: 0 SUCCEEDED, 1 FAILED, CANCELLED or BUDGET_EXCEEDED."})
final class SubmitCommand extends ApiCommand {
    @Parameters(paramLabel = "FILE", description = "the spec file, or - for standard input")
    String file;

    @Option(names = {"-w", "--wait"}, description = "follow the job until it ends; exit 0 only if it SUCCEEDED")
    boolean await;

    @Option(names = "--idempotency-key", paramLabel = "KEY",
            description = "submitting again with the same key and spec gives the same job")
    String idempotencyKey;

    @Override
    public Integer call() throws InterruptedException {
        String spec = read();
        String type = file.endsWith(".json") || spec.stripLeading().startsWith("{") ? "application/json" : "application/yaml";
        JsonNode submitted = idempotencyKey == null ? api().post("/jobs", type, spec)
                : api().post("/jobs", type, spec, idempotencyKey);
        long id = submitted.path("id").asLong();
        // stdout holds one thing: the id, or one JSON document (the answer; with --wait, the job at its end).
        if (format() == Format.TABLE) {
            out().println(id);
        } else if (!await) {
            out().println(Json.pretty(submitted));
        }
        out().flush();
        if (!await) {
            return ExitCode.OK;
        }
        JobProgress end = new JobWatch(api(), Terminal.interactive() ? Duration.ofMillis(500) : Duration.ofSeconds(1))
                .follow(id, progress());
        if (format() == Format.JSON) {
            out().println(Json.pretty(api().get("/jobs/" + id)));
        }
        err().println("job " + id + " " + end.state() + ": " + end.counts() + " in " + Values.duration(end.elapsed())
                + end.cost().map(c -> ", " + Values.usd(c)).orElse("")
                + (end.error() == null ? "" : System.lineSeparator() + "  error: " + end.error()));
        err().flush();
        return "SUCCEEDED".equals(end.state()) ? ExitCode.OK : ExitCode.JOB_FAILED;
    }

    private Progress progress() {
        return Terminal.interactive() ? new ProgressBar(err()) : new ProgressLines(err(), Duration.ofSeconds(5));
    }

    private String read() {
        try {
            if (file.equals("-")) {
                try (InputStream in = System.in) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new UsageException("cannot read the spec " + file + ": " + e);
        }
    }
}
