package io.drover.cli.command;

import io.drover.cli.output.Details;
import io.drover.cli.output.Values;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "retry", mixinStandardHelpOptions = true,
        description = "Run a job's failed and cancelled subtasks again, or one subtask with ID/INDEX.")
final class RetryCommand extends ApiCommand {
    @Parameters(paramLabel = "ID[/INDEX]", description = "a job, or one of its subtasks")
    String ref;

    @Override
    public Integer call() {
        Ref r = Ref.parse(ref);
        if (r.index().isPresent()) {
            return print(api().post(r.subtaskPath("retry") + "/retry"), a -> new Details().add("job", r.job())
                    .add("subtask", r.index().getAsInt()).add("state", Values.text(a.get("state"))));
        }
        return print(api().post(r.jobPath() + "/retry"), a -> new Details().add("job", r.job())
                .add("subtasks retried", Values.text(a.get("subtasks"))));
    }
}
