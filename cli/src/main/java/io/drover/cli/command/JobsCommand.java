package io.drover.cli.command;

import io.drover.cli.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "jobs", mixinStandardHelpOptions = true, description = "List jobs, newest first (GET /jobs).")
final class JobsCommand extends ApiCommand {
    @Option(names = "--state", paramLabel = "STATE", description = "only jobs in this state (RUNNING, FAILED, ...)")
    String state;

    @Option(names = "--limit", paramLabel = "N", description = "at most N jobs (1..500; the server's default 50)")
    Integer limit;

    @Option(names = "--cursor", paramLabel = "CURSOR", description = "the page after this nextCursor")
    String cursor;

    @Override
    public Integer call() {
        var answer = api().get("/jobs" + Query.of("state", state, "limit", limit, "cursor", cursor));
        print(answer, a -> Jobs.table(a.path("items")));
        Query.morePages(answer, format(), err());
        return ExitCode.OK;
    }
}
