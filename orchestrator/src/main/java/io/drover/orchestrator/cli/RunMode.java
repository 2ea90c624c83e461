package io.drover.orchestrator.cli;

import io.drover.orchestrator.config.DroverConfig;
import io.drover.orchestrator.job.JobSubmission;
import io.drover.orchestrator.spec.InvalidSpecException;
import io.drover.orchestrator.spec.SpecParser;
import io.drover.persistence.Page;
import io.drover.persistence.job.JobRecord;
import io.drover.persistence.job.JobStore;
import io.drover.persistence.job.NewJob;
import io.drover.persistence.subtask.SubtaskState;
import io.drover.persistence.subtask.SubtaskStore;
import io.drover.persistence.subtask.SubtaskView;
import io.drover.workers.sandbox.Drivers;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./drover run FILE}: submits the spec through the same path as the REST API, prints
 * progress until the job ends, then one line per subtask and a summary, and exits 0 only if the
 * job SUCCEEDED (1 if it did not, 2 if the spec was rejected or this machine cannot run the default
 * sandbox driver, which its preflight found at start-up).
 */
@ApplicationScoped
public class RunMode {
    private static final long POLL_MS = 500;
    private static final long QUIET_PROGRESS_MS = 5_000;

    @Inject
    DroverConfig config;
    @Inject
    JobSubmission submission;
    @Inject
    JobStore jobs;
    @Inject
    SubtaskStore subtasks;
    @Inject
    Drivers drivers;

    void onStart(@Observes StartupEvent event) {
        config.run().spec().ifPresent(spec -> {
            Thread thread = new Thread(() -> Quarkus.asyncExit(run(spec, System.out)), "drover-run");
            thread.setDaemon(true);
            thread.start();
        });
    }

    int run(Path specFile, PrintStream out) {
        long started = System.nanoTime();
        Optional<String> unable = drivers.unavailable(config.spec().defaultDriver());
        if (unable.isPresent()) {
            out.println("Drover cannot run sandboxes on this machine, so " + specFile + " was not submitted: "
                    + unable.get());
            return 2;
        }
        long id;
        try {
            String body = Files.readString(specFile);
            id = submission.submit(SpecParser.parse(body, specFile.toString().endsWith(".json")), "cli",
                    NewJob.DEFAULT_TENANT);
        } catch (IOException e) {
            out.println("Cannot read " + specFile + ": " + e.getMessage());
            return 2;
        } catch (InvalidSpecException e) {
            out.println("The spec " + specFile + " was rejected; nothing was stored:");
            e.errors().forEach(error -> out.println("  " + error));
            return 2;
        }
        out.println("Submitted job " + id + " from " + specFile);
        JobRecord job = await(id, started, out);
        Duration wall = Duration.ofNanos(System.nanoTime() - started);
        printSubtasks(id, out);
        out.println(RunReport.summary(job, jobs.counts(id), wall));
        return job.state().name().equals("SUCCEEDED") ? 0 : 1;
    }

    private JobRecord await(long id, long started, PrintStream out) {
        String last = "";
        long lastPrinted = 0;
        while (true) {
            JobRecord job = jobs.find(id).orElseThrow();
            Map<SubtaskState, Long> counts = jobs.counts(id);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            String line = RunReport.progress(elapsed, job, counts);
            String state = line.substring(line.indexOf(']'));
            if (!state.equals(last) || elapsed.toMillis() - lastPrinted >= QUIET_PROGRESS_MS || job.state().isTerminal()) {
                out.println(line);
                last = state;
                lastPrinted = elapsed.toMillis();
            }
            if (job.state().isTerminal()) {
                return job;
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return job;
            }
        }
    }

    private void printSubtasks(long id, PrintStream out) {
        out.println(RunReport.subtaskHeader());
        Optional<String> cursor = Optional.empty();
        do {
            Page<SubtaskView> page = subtasks.list(id, Optional.empty(), 1000, cursor);
            page.items().forEach(s -> out.println(RunReport.subtask(s)));
            cursor = page.nextCursor();
        } while (cursor.isPresent());
    }
}
