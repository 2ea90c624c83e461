package io.drover.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "job", mixinStandardHelpOptions = true,
        description = "One job: state, counts by subtask state, times (GET /jobs/{id}).")
final class JobCommand extends ApiCommand {
    @Parameters(paramLabel = "ID", description = "the job's id")
    long id;

    @Override
    public Integer call() {
        return print(api().get("/jobs/" + id), Jobs::details);
    }
}
