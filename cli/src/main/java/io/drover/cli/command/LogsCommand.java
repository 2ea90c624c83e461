package io.drover.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.cli.ExitCode;
import io.drover.cli.UsageException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"The full output of a subtask's latest attempt; with ID alone, every subtask's, one after another.",
            "With -f, follow the subtask until it ends (the API serves whole logs: polled every second,"
                    + " only what is new is printed); exit 0 if it SUCCEEDED, 1 otherwise."})
final class LogsCommand extends ApiCommand {
    private static final Set<String> ENDED = Set.of("SUCCEEDED", "FAILED", "CANCELLED");
    private static final Duration POLL = Duration.ofSeconds(1);

    @Parameters(paramLabel = "ID[/INDEX]", description = "a job, or one of its subtasks")
    String ref;

    @Option(names = {"-f", "--follow"}, description = "keep printing new output until the subtask ends")
    boolean follow;

    @Override
    public Integer call() throws InterruptedException {
        Ref r = Ref.parse(ref);
        if (r.index().isEmpty()) {
            if (follow) {
                throw new UsageException("-f follows one subtask: give ID/INDEX, e.g. " + r.job() + "/0");
            }
            return everySubtask(r.job());
        }
        String path = r.subtaskPath("logs");
        if (!follow) {
            out().print(api().text(path + "/log", false).orElse(""));
            out().flush();
            return ExitCode.OK;
        }
        return follow(path);
    }

    private int everySubtask(long job) {
        String cursor = null;
        do {
            JsonNode page = api().get("/jobs/" + job + "/subtasks" + Query.of("cursor", cursor, "limit", 1000));
            for (JsonNode subtask : page.path("items")) {
                int index = subtask.path("index").asInt();
                out().println("==> " + job + "/" + index + " " + subtask.path("state").asText() + " <==");
                Optional<String> log = api().text("/jobs/" + job + "/subtasks/" + index + "/log", true);
                out().print(log.map(LogsCommand::endLine).orElse("(no log: not run yet)" + System.lineSeparator()));
            }
            cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asText() : null;
        } while (cursor != null);
        out().flush();
        return ExitCode.OK;
    }

    private int follow(String path) throws InterruptedException {
        String shown = "";
        while (true) {
            // The state first: output written before the end is in the log read after it.
            String state = api().get(path).path("state").asText();
            String log = api().text(path + "/log", true).orElse("");
            if (log.startsWith(shown)) {
                out().print(log.substring(shown.length()));
            } else {
                out().println("==> a new attempt <==");
                out().print(log);
            }
            out().flush();
            shown = log;
            if (ENDED.contains(state)) {
                return "SUCCEEDED".equals(state) ? ExitCode.OK : ExitCode.JOB_FAILED;
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private static String endLine(String text) {
        return text.isEmpty() || text.endsWith("\n") ? text : text + System.lineSeparator();
    }
}
