package io.drover.orchestrator.config;

import io.drover.orchestrator.cluster.Instance;
import io.drover.orchestrator.llm.GatewayListener;
import io.drover.orchestrator.sandbox.KeptSandboxes;
import io.drover.orchestrator.sandbox.SandboxReclaim;
import io.drover.orchestrator.sandbox.SandboxSessions;
import io.drover.persistence.Database;
import io.drover.persistence.sandbox.SandboxStore;
import io.drover.persistence.snapshot.BaseCopyStore;
import io.drover.sandbox.BaseBuildLock;
import io.drover.sandbox.Resources;
import io.drover.sandbox.SandboxDriver;
import io.drover.sandbox.SandboxException;
import io.drover.sandbox.SandboxState;
import io.drover.sandbox.microvm.MicroVmDriver;
import io.drover.sandbox.microvm.MicroVmSettings;
import io.drover.sandbox.pool.PoolListener;
import io.drover.sandbox.pool.PoolSettings;
import io.drover.sandbox.preflight.Check;
import io.drover.sandbox.preflight.Checked;
import io.drover.sandbox.preflight.Preflight;
import io.drover.sandbox.process.ProcessDriver;
import io.drover.sandbox.process.ProcessDriverSettings;
import io.drover.sandbox.process.disk.DiskLimit;
import io.drover.sandbox.process.cgroup.MemoryBudget;
import io.drover.workers.cost.IdleMeters;
import io.drover.workers.cost.PriceTable;
import io.drover.workers.cost.SetupMeter;
import io.drover.workers.sandbox.Drivers;
import io.drover.workers.sandbox.OneShotSandbox;
import io.drover.workers.sandbox.Pools;
import io.drover.workers.secret.SecretValues;
import io.drover.workers.snapshot.BaseRecording;
import io.drover.workers.snapshot.RecordingDriver;
import io.drover.workers.snapshot.SnapshotCollector;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the sandbox drivers, each behind its preflight, their pools and the sandboxes lent through the API. */
@ApplicationScoped
public class SandboxBeans {
    private static final Logger LOG = LoggerFactory.getLogger(SandboxBeans.class);

    @Produces
    @Singleton
    Drivers drivers(DroverConfig config, BaseRecording recording, PriceTable prices, MeterRegistry registry,
            GatewayListener gateway, Roles roles, SecretValues secrets) {
        if (!roles.worker()) {
            LOG.info("Roles {}: no worker role, so this process starts no sandbox driver and runs no sandbox", roles);
            return new Drivers(List.of());
        }
        // The drivers keep their in-process build locks: the node's lock across processes is taken
        // by the recording decorator, around the fetch or build, and would deadlock if taken again inside.
        ProcessDriverSettings settings = ProcessDriverSettings.defaults(config.dataDir().resolve("sandboxes"))
                .withGatewayPort(gatewayPort(config, gateway))
                .withMemoryBudget(new MemoryBudget(config.pool().maxSandboxes(), config.pool().sandboxMemoryMb(),
                        "drover.pool.max-sandboxes", "drover.pool.sandbox-memory-mb"))
                .withDiskLimit(DiskLimit.parse(config.pool().diskLimit()), config.pool().sandboxDiskMb());
        List<SandboxDriver> drivers = new ArrayList<>();
        List<Preflight> preflights = new ArrayList<>();
        Checked<ProcessDriver> process = ProcessDriver.start(settings);
        preflights.add(logged(process.preflight(), config.spec().defaultDriver()));
        process.driver().ifPresent(driver -> drivers.add(new RecordingDriver(driver, recording,
                new SetupMeter(prices, settings.setupResources()), secrets)));
        microVmDriver(config).ifPresent(microvm -> {
            preflights.add(logged(microvm.preflight(), config.spec().defaultDriver()));
            microvm.driver().ifPresent(driver -> {
                Gauge.builder("drover.sandbox.microvm.private.memory", driver, MicroVmDriver::privateMemoryBytes)
                        .baseUnit("bytes").description("Private memory (USS) of the running microVM clones, summed")
                        .register(registry);
                Resources vm = new Resources(config.sandbox().microvm().memoryMb(), 1.0,
                        Resources.DEFAULT.maxProcesses());
                drivers.add(new RecordingDriver(driver, recording, new SetupMeter(prices, vm), secrets));
            });
        });
        return new Drivers(drivers, preflights);
    }

    /** Logs what the preflight found: a failed default driver means this process runs no subtask. */
    private static Preflight logged(Preflight preflight, String defaultDriver) {
        if (preflight.passed()) {
            LOG.info("The {} sandbox driver passed its preflight in {} ms: {}", preflight.driver(),
                    preflight.took().toMillis(), preflight.checks().stream().map(Check::name)
                            .collect(Collectors.joining(", ")));
        } else if (preflight.driver().equals(defaultDriver)) {
            LOG.error("{}. This process claims no subtask and /q/health/ready is DOWN until that is fixed and Drover"
                    + " restarted.", preflight.reason().orElseThrow());
        } else {
            LOG.warn("{}; specs that name it are refused.", preflight.reason().orElseThrow());
        }
        return preflight;
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

    /**
     * The microvm driver behind its preflight, when enabled. A guest image that is not built yet does
     * not keep it out: the first microvm sandbox builds it (unless build-guest is false).
     */
    private static Optional<Checked<MicroVmDriver>> microVmDriver(DroverConfig config) {
        DroverConfig.Sandbox.Microvm m = config.sandbox().microvm();
        if (!m.enabled()) {
            LOG.info("MicroVM sandbox driver not registered: drover.sandbox.microvm.enabled is false");
            return Optional.empty();
        }
        MicroVmSettings settings = MicroVmSettings.defaults(config.dataDir().resolve("microvm"))
                .withGuest(m.guestDir().orElseGet(MicroVmSettings::defaultGuestDir), m.buildGuest())
                .withMemoryMb(m.memoryMb()).withAccel(m.accel()).withQemu(Path.of(m.qemu()))
                .withDisk(DiskLimit.parse(config.pool().diskLimit()) != DiskLimit.NONE, config.pool().sandboxDiskMb());
        return Optional.of(MicroVmDriver.start(settings));
    }

    @Produces
    @Singleton
    SnapshotCollector snapshotCollector(Pools pools, BaseCopyStore copies, BaseBuildLock buildLock, Instance instance,
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
        return new SnapshotCollector(pools, copies, buildLock, instance.node(), Clock.systemUTC(), s.gcAfter());
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
    SandboxStore sandboxStore(Database db) {
        return new SandboxStore(db);
    }

    @Produces
    @Singleton
    SandboxReclaim sandboxReclaim(SandboxStore store, Instance instance, DroverConfig config) {
        return new SandboxReclaim(store, instance.id(), config.cluster().goneAfter());
    }

    @Produces
    @Singleton
    SandboxSessions sandboxSessions(Pools pools, SandboxStore store, Instance instance) {
        return new SandboxSessions(pools, store, instance.id(), Clock.systemUTC());
    }

    void closeSessions(@Disposes SandboxSessions sessions) {
        sessions.close();
    }

    @Produces
    @Singleton
    OneShotSandbox oneShotSandbox(Pools pools, SandboxSessions sessions, AgentConfig agent, DroverConfig config,
            Instance instance) {
        // Whoever reads the attempt's output reaches the kept sandbox through any api replica.
        String apiUrl = config.cluster().apiUrl().or(agent::apiUrl).orElse(instance.address());
        return new OneShotSandbox(pools, new KeptSandboxes(sessions, () -> apiUrl, Clock.systemUTC(),
                config.sandbox().maxKept()));
    }
}
