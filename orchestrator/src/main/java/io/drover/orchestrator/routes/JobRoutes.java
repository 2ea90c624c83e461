package io.drover.orchestrator.routes;

import io.drover.orchestrator.config.DroverConfig;
import io.drover.orchestrator.config.Roles;
import io.drover.orchestrator.job.JobCompletion;
import io.drover.orchestrator.job.JobSplitter;
import io.drover.persistence.attempt.AttemptStore;
import io.drover.persistence.job.JobStore;
import io.drover.workers.Worker;
import io.drover.workers.dispatch.Heartbeat;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.builder.RouteBuilder;

/**
 * The life of a job as routes: split a submitted job into subtasks, dispatch them to this
 * process's workers, aggregate their ends into the job's. Routes wire; the beans do the work.
 * Nothing lives only in a queue: every step reads and writes PostgreSQL, so a lost message is
 * made good by the next poll, and a crash loses no subtask.
 */
@ApplicationScoped
public class JobRoutes extends RouteBuilder {
    /** Submitted job ids, to be split. */
    public static final String SUBMITTED = "seda:job-submitted";
    /** A wake-up for the dispatcher: coalesced, since one claim serves any number of wake-ups. */
    public static final String WAKE = "seda:dispatch?size=1&discardWhenFull=true";
    static final String RUN = "seda:run-subtask";
    static final String FINISHED = "seda:subtask-finished";

    @Inject
    DroverConfig config;
    @Inject
    JobSplitter splitter;
    @Inject
    JobCompletion completion;
    @Inject
    JobStore jobs;
    @Inject
    AttemptStore attempts;
    @Inject
    Worker worker;
    @Inject
    Heartbeat heartbeat;
    @Inject
    Roles roles;

    @Override
    public void configure() {
        DroverConfig.Worker w = config.worker();
        long pollMs = w.pollInterval().toMillis();

        from("timer:recover-unsplit-jobs?repeatCount=1&delay=0").routeId("recover-unsplit-jobs")
                .bean(jobs, "unexpanded")
                .split(body())
                .to(SUBMITTED);

        from(SUBMITTED + "?concurrentConsumers=2").routeId("job-split")
                .bean(splitter, "split")
                .to(WAKE);

        from("timer:dispatch-poll?period=" + pollMs + "&delay=" + pollMs).routeId("dispatch-poll")
                .to(WAKE);

        if (roles.worker()) {
            // Jobs split by command wait for a worker: processes without the role leave them unsplit.
            from("timer:split-left-for-workers?period=" + pollMs + "&delay=" + pollMs).routeId("split-left-for-workers")
                    .bean(jobs, "unexpanded")
                    .split(body())
                    .to(SUBMITTED);
        }

        from(WAKE).routeId("dispatch")
                .bean(worker, "claim")
                .split(body())
                .to(RUN);

        from(RUN + "?concurrentConsumers=" + w.capacity()).routeId("run-subtask")
                .setHeader("jobId", simple("${body.jobId()}"))
                .bean(worker, "run")
                .to(FINISHED);

        from(FINISHED).routeId("aggregate")
                .bean(completion, "subtaskFinished(${header.jobId})")
                .to(WAKE);

        from("timer:heartbeat?period=" + w.heartbeatInterval().toMillis()).routeId("heartbeat")
                .bean(heartbeat, "beat");

        long sweepMs = Math.max(1000, w.staleAfter().toMillis() / 4);
        from("timer:lease-sweep?period=" + sweepMs + "&delay=" + sweepMs).routeId("lease-sweep")
                .bean(attempts, "expireStale(" + w.staleAfter().toSeconds() + ", " + w.maxLostAttempts() + ")")
                .bean(completion, "sweep")
                .to(WAKE);
    }
}
