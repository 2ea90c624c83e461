package io.drover.bench;

import io.drover.sandbox.SandboxDriver;
import java.nio.file.Path;
import java.util.List;

/**
 * P4: a job whose sandbox setup takes seconds (building a git repository of many commits, as a
 * clone of a real project would), run with the setup as a base snapshot built once, against the
 * same job with the setup in every subtask's command. Each run uses a setup no other run shares,
 * so the snapshot is really built inside the measured time.
 */
final class SetupAmortization {
    private SetupAmortization() {
    }

    static void run(Report report, BenchDatabase databases, SandboxDriver driver, int subtasks, int commits, int slots,
            Path logs) throws Exception {
        String setup = "git init -q /workspace/app && cd /workspace/app && git config user.email b@example.invalid"
                + " && git config user.name bench && for i in $(seq " + commits + "); do echo $i > f$((i % 50));"
                + " git add -A; git commit -qm c$i; done # run " + System.nanoTime();
        String task = "cd /workspace/app && git log --oneline | wc -l";
        double shared = DroverWorkers.run(databases.freshDrover(), driver, List.of(setup), task, subtasks, slots, logs)
                .seconds();
        double perSubtask = DroverWorkers.run(databases.freshDrover(), driver, List.of(), setup + " && " + task, subtasks,
                slots, logs).seconds();
        report.add("P4", subtasks + " subtasks over a base whose setup makes " + commits + " git commits",
                String.format("%.2f s (setup once)", shared), String.format("setup in every subtask %.2f s", perSubtask),
                Report.ratio(shared, perSubtask));
    }
}
