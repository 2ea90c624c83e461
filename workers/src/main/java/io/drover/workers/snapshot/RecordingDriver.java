package io.drover.workers.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.persistence.snapshot.BaseSnapshotStore;
import io.drover.persistence.snapshot.SnapshotState;
import io.drover.sandbox.BaseBuildLock;
import io.drover.sandbox.BaseSetupFailed;
import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.Command;
import io.drover.sandbox.Execution;
import io.drover.sandbox.NetworkPolicy;
import io.drover.sandbox.Resources;
import io.drover.sandbox.Sandbox;
import io.drover.sandbox.SandboxDriver;
import io.drover.sandbox.SandboxException;
import io.drover.sandbox.Usage;
import io.drover.workers.cost.SetupMeter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A driver whose bases are recorded in {@code base_snapshot}: every caller that prepares a base
 * (subtasks, the exec API) goes through here, so the table knows each base's state, build figures
 * and last use without those callers knowing of it. A use is written at most once per
 * {@code touchEvery} per base, to keep a 10,000-subtask job from writing the row 10,000 times.
 */
public final class RecordingDriver implements SandboxDriver {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SandboxDriver driver;
    private final BaseSnapshotStore store;
    private final BaseBuildLock buildLock;
    private final String builder;
    private final Clock clock;
    private final Duration touchEvery;
    private final Map<String, Instant> recordedReady = new ConcurrentHashMap<>();
    private final SetupMeter setupMeter;

    public RecordingDriver(SandboxDriver driver, BaseSnapshotStore store, BaseBuildLock buildLock, String builder,
            Clock clock, Duration touchEvery) {
        this(driver, store, buildLock, builder, clock, touchEvery, null);
    }

    /** @param setupMeter prices each build this driver records, for the cost ledger; null to record none */
    public RecordingDriver(SandboxDriver driver, BaseSnapshotStore store, BaseBuildLock buildLock, String builder,
            Clock clock, Duration touchEvery, SetupMeter setupMeter) {
        this.setupMeter = setupMeter;
        this.driver = driver;
        this.store = store;
        this.buildLock = buildLock;
        this.builder = builder;
        this.clock = clock;
        this.touchEvery = touchEvery;
    }

    @Override
    public BaseSnapshot prepareBase(BaseSpec spec) throws SandboxException {
        String hash = spec.hash();
        Instant now = clock.instant();
        Instant touched = recordedReady.get(hash);
        if (touched != null && touched.isAfter(now.minus(touchEvery))) {
            return driver.prepareBase(spec);
        }
        // The use is written before the base is looked for on disk: a collector's claim, which
        // needs an old last use, then either loses to it or is seen here as DELETED.
        SnapshotState state = store.touch(hash, now).orElse(null);
        if (state != SnapshotState.READY) {
            if (state == SnapshotState.DELETED) {
                awaitCollection(hash);
            }
            store.building(hash, driver.name(), json(spec), builder, now);
        }
        BaseSnapshot base;
        try {
            base = driver.prepareBase(spec);
        } catch (BaseSetupFailed e) {
            store.failed(hash, driver.name(), json(spec), builder, "exit code " + e.exitCode() + "\n" + e.logTail(),
                    clock.instant());
            throw e;
        } catch (SandboxException | RuntimeException e) {
            store.failed(hash, driver.name(), json(spec), builder, e.getMessage(), clock.instant());
            throw e;
        }
        if (state != SnapshotState.READY) {
            Instant ready = clock.instant();
            boolean built = store.ready(hash, driver.name(), json(spec), base.location().toString(), base.sizeBytes(),
                    base.buildTime().toMillis(), builder, ready);
            // Only the caller that made the row READY records the build: its setup is paid once.
            if (built && setupMeter != null) {
                store.built(setupMeter.price(driver.name(), base, ready));
            }
        }
        recordedReady.put(hash, now);
        return base;
    }

    /** A collector holds the base's build lock while it deletes it; once it lets go, the base can be built again. */
    private void awaitCollection(String hash) throws SandboxException {
        try {
            buildLock.acquire(hash).close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while the base " + hash + " was being collected", e);
        }
    }

    @Override
    public long deleteBase(String hash) throws SandboxException {
        recordedReady.remove(hash);
        return driver.deleteBase(hash);
    }

    @Override
    public String name() {
        return driver.name();
    }

    @Override
    public boolean supportsSetup() {
        return driver.supportsSetup();
    }

    @Override
    public boolean supportsNetwork() {
        return driver.supportsNetwork();
    }

    @Override
    public Sandbox clone(BaseSnapshot base, Resources resources) throws SandboxException {
        return driver.clone(base, resources);
    }

    @Override
    public Execution exec(Sandbox sandbox, Command command) throws SandboxException {
        return driver.exec(sandbox, command);
    }

    @Override
    public void standby(Sandbox sandbox) throws SandboxException {
        driver.standby(sandbox);
    }

    @Override
    public void resume(Sandbox sandbox) throws SandboxException {
        driver.resume(sandbox);
    }

    @Override
    public void destroy(Sandbox sandbox) {
        driver.destroy(sandbox);
    }

    @Override
    public java.util.Optional<byte[]> readFile(Sandbox sandbox, String path, long maxBytes) throws SandboxException {
        return driver.readFile(sandbox, path, maxBytes);
    }

    @Override
    public Usage usage(Sandbox sandbox) {
        return driver.usage(sandbox);
    }

    @Override
    public void close() {
        driver.close();
    }

    static String json(BaseSpec spec) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("image", spec.image());
        doc.put("setup", spec.setup());
        doc.put("setupEnv", spec.setupEnv());
        NetworkPolicy network = spec.setupNetwork();
        if (!network.equals(NetworkPolicy.EGRESS)) {
            // In the spec's own form, so that a sandbox opened from this record rebuilds the same hash.
            doc.put("setupNetwork", network.mode() == NetworkPolicy.Mode.ALLOW
                    ? Map.of("allow", network.allow().stream().map(NetworkPolicy.Endpoint::toString).toList())
                    : network.canonical());
        }
        try {
            return JSON.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a base spec is strings only", e);
        }
    }
}
