package io.drover.orchestrator.config;

import java.util.OptionalInt;
import io.drover.sandbox.Resources;
import io.drover.orchestrator.llm.GatewayListener;
import io.drover.orchestrator.job.JobCompletion;
import io.drover.orchestrator.job.JobEvents;
import io.drover.orchestrator.job.JobSplitter;
import io.drover.orchestrator.job.JobSubmission;
import io.drover.orchestrator.spec.SpecValidator;
import io.drover.persistence.Database;
import io.drover.persistence.attempt.AttemptStore;
import io.drover.persistence.job.JobStore;
import io.drover.persistence.subtask.SubtaskStore;
import io.drover.orchestrator.sandbox.KeptSandboxes;
import io.drover.orchestrator.sandbox.SandboxSessions;
import io.drover.sandbox.SandboxException;
import io.drover.sandbox.SandboxState;
import io.drover.sandbox.BaseBuildLock;
import io.drover.sandbox.pool.PoolSettings;
import io.drover.sandbox.process.ProcessDriverSettings;
import io.drover.sandbox.pool.PoolListener;
import io.drover.workers.cost.CostListener;
import io.drover.workers.cost.IdleMeters;
import io.drover.workers.cost.SetupMeter;
import io.drover.persistence.snapshot.AdvisoryLock;
import io.drover.persistence.snapshot.BaseSnapshotStore;
import io.drover.workers.snapshot.RecordingDriver;
import io.drover.workers.snapshot.SharedBaseBuildLock;
import io.drover.workers.snapshot.SnapshotCollector;
import java.time.Duration;
import io.drover.sandbox.process.ProcessDriver;
import io.drover.sandbox.SandboxDriver;
import io.drover.sandbox.microvm.MicroVmDriver;
import io.drover.sandbox.microvm.MicroVmSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.drover.workers.sandbox.Pools;
import java.time.Clock;
import io.drover.workers.Worker;
import io.drover.workers.WorkerSettings;
import io.drover.workers.agent.AgentSandbox;
import io.drover.workers.attempt.AttemptRunner;
import io.drover.workers.attempt.RunningAttempts;
import io.drover.workers.cost.CostMeter;
import io.drover.workers.cost.PriceTable;
import io.drover.workers.dispatch.Dispatcher;
import io.drover.workers.dispatch.Heartbeat;
import io.drover.workers.dispatch.WorkerSlots;
import io.drover.workers.llm.LlmAccess;
import io.drover.workers.sandbox.Drivers;
import io.drover.workers.sandbox.OneShotSandbox;
import io.drover.workers.task.TaskTemplates;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/** Wires Drover's framework-free cores into CDI. */
@ApplicationScoped
public class CoreBeans {
    private static final Logger LOG = LoggerFactory.getLogger(CoreBeans.class);

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
    BaseBuildLock baseBuildLock(Database db) {
        return new SharedBaseBuildLock(new AdvisoryLock(db.dataSource()));
    }

    @Produces
    @Singleton
    Drivers drivers(DroverConfig config, BaseBuildLock buildLock, BaseSnapshotStore snapshots, WorkerSettings worker,
            PriceTable prices, MeterRegistry registry, GatewayListener gateway) {
        ProcessDriverSettings settings = ProcessDriverSettings.defaults(config.dataDir().resolve("sandboxes"))
                .withBuildLock(buildLock).withGatewayPort(gatewayPort(config, gateway));
        ProcessDriver process = new ProcessDriver(settings);
        // A use is written at most once a minute per base, and always well within the collection window.
        Duration touchEvery = min(Duration.ofMinutes(1), config.snapshots().gcAfter().dividedBy(10));
        List<SandboxDriver> drivers = new ArrayList<>();
        drivers.add(new RecordingDriver(process, snapshots, buildLock, worker.owner(), Clock.systemUTC(), touchEvery,
                new SetupMeter(prices, settings.setupResources())));
        microVmDriver(config, buildLock).ifPresent(microvm -> {
            Gauge.builder("drover.sandbox.microvm.private.memory", microvm, MicroVmDriver::privateMemoryBytes)
                    .baseUnit("bytes").description("Private memory (USS) of the running microVM clones, summed")
                    .register(registry);
            Resources vm = new Resources(config.sandbox().microvm().memoryMb(), 1.0, Resources.DEFAULT.maxProcesses());
            drivers.add(new RecordingDriver(microvm, snapshots, buildLock, worker.owner(), Clock.systemUTC(), touchEvery,
                    new SetupMeter(prices, vm)));
        });
        return new Drivers(drivers);
    }

    /**
     * The host port sandboxes' 127.0.0.1:4141 forwards to: {@code drover.sandbox.gateway-port} when
     * set, otherwise this process's gateway listener, when it runs.
     */
    private static OptionalInt gatewayPort(DroverConfig config, GatewayListener gateway) {
        return config.sandbox().gatewayPort().map(OptionalInt::of)
                .or(() -> gateway.server().map(s -> OptionalInt.of(s.address().getPort())))
                .orElse(OptionalInt.empty());
    }
    /** The microvm driver when enabled and QEMU and its guest image are there; otherwise the log says why not. */
    private static Optional<MicroVmDriver> microVmDriver(DroverConfig config, BaseBuildLock buildLock) {
        DroverConfig.Sandbox.Microvm m = config.sandbox().microvm();
        if (!m.enabled()) {
            LOG.info("MicroVM sandbox driver not registered: drover.sandbox.microvm.enabled is false");
            return Optional.empty();
        }
        MicroVmSettings settings = MicroVmSettings.defaults(config.dataDir().resolve("microvm"))
                .withGuest(m.guestDir().orElseGet(MicroVmSettings::defaultGuestDir), m.buildGuest())
                .withMemoryMb(m.memoryMb()).withAccel(m.accel()).withQemu(Path.of(m.qemu())).withBuildLock(buildLock);
        try {
            return Optional.of(new MicroVmDriver(settings));
        } catch (SandboxException e) {
            LOG.info("MicroVM sandbox driver not registered: {}", e.getMessage());
            return Optional.empty();
        }
    }

    @Produces
    @Singleton
    SnapshotCollector snapshotCollector(Pools pools, BaseSnapshotStore snapshots, BaseBuildLock buildLock,
            DroverConfig config) {
        DroverConfig.Snapshots s = config.snapshots();
        if (s.gcAfter().isNegative() || s.gcAfter().isZero()) {
            throw new IllegalArgumentException("drover.snapshots.gc-after must be positive, e.g. 7d; was " + s.gcAfter());
        }
        if (s.gcInterval().compareTo(s.gcAfter().dividedBy(2)) >= 0 || s.gcInterval().isNegative()
                || s.gcInterval().isZero()) {
            throw new IllegalArgumentException("drover.snapshots.gc-interval (" + s.gcInterval() + ") must be positive"
                    + " and under half of drover.snapshots.gc-after (" + s.gcAfter() + "), so that every process drops"
                    + " its warm clones of an idle base before any deletes it");
        }
        return new SnapshotCollector(pools, snapshots, buildLock, Clock.systemUTC(), s.gcAfter());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    void closeDrivers(@Disposes Drivers drivers) {
        drivers.close();
    }

    @Produces
    @Singleton
    Pools pools(Drivers drivers, DroverConfig config, MeterRegistry registry, IdleMeters idleMeters)
            throws SandboxException {
        DroverConfig.Pool p = config.pool();
        PoolMetrics metrics = new PoolMetrics(registry);
        Pools pools = new Pools(drivers, new PoolSettings(p.maxSandboxes(), p.minWarm(), p.maxWarm(), p.standbyAfter(),
                p.sweepInterval()), Clock.systemUTC(), driver -> PoolListener.all(metrics, idleMeters.of(driver)));
        pools.all().forEach((driver, pool) -> {
            for (SandboxState state : List.of(SandboxState.WARM, SandboxState.ACTIVE, SandboxState.STANDBY)) {
                Gauge.builder("drover.pool.sandboxes", pool, x -> x.counts().get(state))
                        .tag("driver", driver).tag("state", state.name().toLowerCase())
                        .description("Sandboxes of the pool by state").register(registry);
            }
        });
        return pools;
    }

    /** The pools tell the idle time of the warm clones they destroy: the meters write it before they close. */
    void closePools(@Disposes Pools pools, IdleMeters idleMeters) {
        pools.close();
        idleMeters.close();
    }

    @Produces
    @Singleton
    SandboxSessions sandboxSessions(Pools pools) {
        return new SandboxSessions(pools, Clock.systemUTC());
    }

    void closeSessions(@Disposes SandboxSessions sessions) {
        sessions.close();
    }

    @Produces
    @Singleton
    OneShotSandbox oneShotSandbox(Pools pools, SandboxSessions sessions, AgentConfig agent, DroverConfig config) {
        return new OneShotSandbox(pools, new KeptSandboxes(sessions, () -> agent.apiUrl().orElseGet(LlmBeans::localApi),
                Clock.systemUTC(), config.sandbox().maxKept()));
    }

    @Produces
    @Singleton
    WorkerSettings workerSettings(DroverConfig config) {
        String owner = config.worker().owner().orElseGet(CoreBeans::defaultOwner);
        return new WorkerSettings(owner, config.worker().capacity(), config.dataDir().resolve("logs"),
                config.worker().tailBytes());
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
            CostListener costMetrics, LlmAccess llm, AgentSandbox agents) {
        WorkerSlots slots = new WorkerSlots(settings.capacity());
        Gauge.builder("drover.worker.slots.busy", slots, WorkerSlots::inUse)
                .description("Subtasks this process is running now").register(registry);
        Gauge.builder("drover.worker.slots.capacity", slots, WorkerSlots::capacity)
                .description("Subtasks this process may run at once").register(registry);
        AttemptRunner runner = new AttemptRunner(settings, new TaskTemplates(jobs), sandboxes, attempts, running,
                new CostMeter(prices, costMetrics), llm, agents);
        return new Worker(new Dispatcher(settings.owner(), subtasks, slots), runner, slots, running);
    }

    @Produces
    @Singleton
    Heartbeat heartbeat(WorkerSettings settings, AttemptStore attempts, RunningAttempts running) {
        return new Heartbeat(settings.owner(), attempts, running);
    }

    @Produces
    @Singleton
    SpecValidator specValidator(DroverConfig config, Drivers drivers) {
        return new SpecValidator(new SpecValidator.Limits(config.spec().maxItems(), drivers.names(),
                config.spec().defaultDriver(), drivers.supportSetup(), config.sandbox().allowHostNetwork(),
                drivers.networked()));
    }

    @Produces
    @Singleton
    JobSubmission jobSubmission(SpecValidator validator, JobStore jobs, JobEvents events, BaseSnapshotStore snapshots) {
        return new JobSubmission(validator, jobs, events, snapshots);
    }

    @Produces
    @Singleton
    JobSplitter jobSplitter(JobStore jobs, OneShotSandbox sandboxes, DroverConfig config) {
        return new JobSplitter(jobs, sandboxes, config.spec().maxItems());
    }

    @Produces
    @Singleton
    JobCompletion jobCompletion(JobStore jobs) {
        return new JobCompletion(jobs);
    }

    private static String defaultOwner() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + ":" + ProcessHandle.current().pid() + ":" + UUID.randomUUID().toString().substring(0, 8);
    }
}
