package io.drover.orchestrator.config;

import io.drover.orchestrator.cluster.Instance;
import io.drover.orchestrator.job.JobCompletion;
import io.drover.orchestrator.job.JobEvents;
import io.drover.orchestrator.job.JobSplitter;
import io.drover.orchestrator.job.JobSubmission;
import io.drover.orchestrator.spec.SpecValidator;
import io.drover.persistence.Database;
import io.drover.persistence.attempt.AttemptStore;
import io.drover.persistence.job.JobStore;
import io.drover.persistence.snapshot.AdvisoryLock;
import io.drover.persistence.snapshot.BaseSnapshotStore;
import io.drover.persistence.subtask.SubtaskStore;
import io.drover.sandbox.BaseBuildLock;
import io.drover.workers.Worker;
import io.drover.workers.WorkerSettings;
import io.drover.workers.agent.AgentSandbox;
import io.drover.workers.attempt.AttemptRunner;
import io.drover.workers.secret.SecretValues;
import io.drover.workers.attempt.RunningAttempts;
import io.drover.workers.cost.CostListener;
import io.drover.workers.cost.CostMeter;
import io.drover.workers.cost.PriceTable;
import io.drover.workers.dispatch.Dispatcher;
import io.drover.workers.dispatch.Heartbeat;
import io.drover.workers.dispatch.WorkerSlots;
import io.drover.workers.llm.LlmAccess;
import io.drover.workers.sandbox.Drivers;
import io.drover.workers.sandbox.OneShotSandbox;
import io.drover.workers.snapshot.SharedBaseBuildLock;
import io.drover.workers.task.TaskTemplates;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/** Wires Drover's framework-free cores into CDI. */
@ApplicationScoped
public class CoreBeans {
    @Produces
    @Singleton
    Roles roles(DroverConfig config) {
        return Roles.parse(config.roles());
    }

    @Produces
    @Singleton
    Database database(DataSource dataSource) {
        return new Database(dataSource);
    }

    @Produces
    @Singleton
    JobStore jobStore(Database db) {
        return new JobStore(db);
    }

    @Produces
    @Singleton
    SubtaskStore subtaskStore(Database db) {
        return new SubtaskStore(db);
    }

    @Produces
    @Singleton
    AttemptStore attemptStore(Database db) {
        return new AttemptStore(db);
    }

    @Produces
    @Singleton
    BaseSnapshotStore baseSnapshotStore(Database db) {
        return new BaseSnapshotStore(db);
    }

    /** One setup per base across every Drover process sharing this database. */
    @Produces
    @Singleton
    BaseBuildLock baseBuildLock(Database db, Instance instance) {
        return new SharedBaseBuildLock(new AdvisoryLock(db.dataSource()), instance.node());
    }

    @Produces
    @Singleton
    WorkerSettings workerSettings(DroverConfig config, Instance instance) {
        return new WorkerSettings(instance.id(), config.worker().capacity(), config.dataDir().resolve("logs"),
                config.worker().tailBytes(), config.worker().maxLostAttempts());
    }

    @Produces
    @Singleton
    RunningAttempts runningAttempts() {
        return new RunningAttempts();
    }

    @Produces
    @Singleton
    Worker worker(WorkerSettings settings, SubtaskStore subtasks, AttemptStore attempts, JobStore jobs,
            OneShotSandbox sandboxes, RunningAttempts running, MeterRegistry registry, PriceTable prices,
            CostListener costMetrics, LlmAccess llm, AgentSandbox agents, Drivers drivers, DroverConfig config,
            Roles roles, Instance instance, SecretValues secrets) {
        // A machine that cannot run the default driver's sandboxes takes no work, rather than failing it.
        boolean canRun = roles.worker() && drivers.unavailable(config.spec().defaultDriver()).isEmpty();
        WorkerSlots slots = canRun ? new WorkerSlots(settings.capacity()) : WorkerSlots.none();
        Gauge.builder("drover.worker.slots.busy", slots, WorkerSlots::inUse)
                .description("Subtasks this process is running now").register(registry);
        Gauge.builder("drover.worker.slots.capacity", slots, WorkerSlots::capacity)
                .description("Subtasks this process may run at once").register(registry);
        AttemptRunner runner = new AttemptRunner(settings, new TaskTemplates(jobs), sandboxes, attempts, running,
                new CostMeter(prices, costMetrics), llm, agents, secrets);
        return new Worker(new Dispatcher(settings.owner(), subtasks, slots, SnapshotBeans.warmPreference(config, instance)), runner, slots, running,
                result -> Counter.builder("drover.attempts").description("Attempts ended on this process, by outcome"
                        + " and failure class (LOST sandbox-lost: the machine failed, not the command)")
                        .tag("outcome", result.outcome().name().toLowerCase())
                        .tag("failure", result.failure() == null ? "none" : result.failure())
                        .register(registry).increment());
    }

    @Produces
    @Singleton
    Heartbeat heartbeat(WorkerSettings settings, AttemptStore attempts, RunningAttempts running) {
        return new Heartbeat(settings.owner(), attempts, running);
    }

    @Produces
    @Singleton
    SpecValidator specValidator(DroverConfig config, Drivers drivers, Roles roles) {
        if (!roles.worker()) {
            // No sandbox here: specs are judged by the drivers this configuration gives the workers.
            Set<String> configured = new LinkedHashSet<>(List.of("process"));
            if (config.sandbox().microvm().enabled()) {
                configured.add("microvm");
            }
            return new SpecValidator(new SpecValidator.Limits(config.spec().maxItems(), configured,
                    config.spec().defaultDriver(), true, config.sandbox().allowHostNetwork(),
                    Set.of("process"), Map.of(), Set.of("process")));
        }
        return new SpecValidator(new SpecValidator.Limits(config.spec().maxItems(), drivers.names(),
                config.spec().defaultDriver(), drivers.supportSetup(), config.sandbox().allowHostNetwork(),
                drivers.networked(), drivers.failedPreflights(), drivers.withSetupSecrets()));
    }

    @Produces
    @Singleton
    JobSubmission jobSubmission(SpecValidator validator, JobStore jobs, JobEvents events, BaseSnapshotStore snapshots,
            io.drover.orchestrator.tenant.Quotas quotas, SecretValues secrets) {
        return new JobSubmission(validator, jobs, events, snapshots, quotas::checkBudget, secrets);
    }

    @Produces
    @Singleton
    JobSplitter jobSplitter(JobStore jobs, OneShotSandbox sandboxes, DroverConfig config, Roles roles,
            Database db) {
        return new JobSplitter(jobs, sandboxes, config.spec().maxItems(), roles.worker(),
                new AdvisoryLock(db.dataSource()));
    }

    @Produces
    @Singleton
    JobCompletion jobCompletion(JobStore jobs) {
        return new JobCompletion(jobs);
    }
}
