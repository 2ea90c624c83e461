package io.drover.cli.command;

import io.drover.cli.output.Details;
import io.drover.cli.output.Values;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Cancel a job (pending subtasks are cancelled, running ones stopped), or one subtask with ID/INDEX.")
final class CancelCommand extends ApiCommand {
    @Parameters(paramLabel = "ID[/INDEX]", description = "a job, or one of its subtasks")
    String ref;

    @Override
    public Integer call() {
        Ref r = Ref.parse(ref);
        String path = r.index().isPresent() ? r.subtaskPath("cancel") : r.jobPath();
        return print(api().post(path + "/cancel"), a -> new Details().add("job", r.job())
                .add("subtask", r.index().isPresent() ? r.index().getAsInt() : null)
                .add("state", Values.text(a.get("state"))));
    }
}
