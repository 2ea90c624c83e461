package io.drover.workers.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.persistence.snapshot.SnapshotState;
import io.drover.sandbox.BaseLayers;
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
import io.drover.sandbox.secret.SecretRef;
import io.drover.workers.cost.SetupMeter;
import io.drover.workers.secret.SecretValues;
import io.drover.workers.secret.SecretsMissing;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A driver whose bases are recorded per node in {@code base_copy}: every caller that prepares a
 * base (subtasks, the exec API) goes through here, so the tables know each node's copies, how each
 * was made and priced, and when each was last used, without those callers knowing of it. A use is
 * written at most once per {@code touchEvery} per base, to keep a 10,000-subtask job from writing
 * the row 10,000 times. A base with setup secrets is given their values here, read at each
 * prepare (a build may happen behind any of them), so that no caller handles them.
 */
public final class RecordingDriver implements SandboxDriver {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SandboxDriver driver;
    private final BaseRecording recording;
    private final NodeCopies copies;
    private final SecretValues secrets;
    private final Map<String, Instant> recordedReady = new ConcurrentHashMap<>();

    /** Without secrets: a base with setup secrets cannot be prepared. */
    public RecordingDriver(SandboxDriver driver, BaseRecording recording, SetupMeter setupMeter) {
        this(driver, recording, setupMeter, SecretValues.NONE);
    }

    /**
     * @param setupMeter prices each copy this driver makes, for the cost ledger; null to price none
     * @param secrets    where setup secrets' values are read
     */
    public RecordingDriver(SandboxDriver driver, BaseRecording recording, SetupMeter setupMeter,
            SecretValues secrets) {
        this.driver = driver;
        this.recording = recording;
        this.copies = new NodeCopies(driver, recording, setupMeter);
        this.secrets = secrets;
    }

    @Override
    public BaseSnapshot prepareBase(BaseSpec unresolved) throws SandboxException {
        BaseSpec spec = withSecretValues(unresolved);
        String hash = spec.hash();
        Instant now = recording.clock().instant();
        Instant touched = recordedReady.get(hash);
        if (touched != null && touched.isAfter(now.minus(recording.touchEvery()))) {
            return driver.prepareBase(spec);
        }
        // The use is written before the base is looked for on disk: a collector's claim, which
        // needs an old last use, then either loses to it or is seen here as DELETED.
        SnapshotState state = recording.copies().touch(hash, recording.node(), now).orElse(null);
        BaseSnapshot base = state == SnapshotState.READY ? driver.prepareBase(spec) : copies.provide(spec, json(spec));
        recordedReady.put(hash, now);
        return base;
    }

    private BaseSpec withSecretValues(BaseSpec spec) throws SandboxException {
        if (spec.setupSecrets().isEmpty()) {
            return spec;
        }
        if (!driver.supportsSetupSecrets()) {
            throw new SandboxException("the " + driver.name() + " driver cannot give setup commands secrets"
                    + " (spec.sandbox.setupSecrets)");
        }
        List<String> names = SecretValues.names(spec.setupSecrets());
        Map<String, String> values = secrets.values(spec.tenant(), names);
        List<String> missing = names.stream().filter(n -> !values.containsKey(n)).toList();
        if (!missing.isEmpty()) {
            throw new SecretsMissing(spec.tenant(), missing);
        }
        return spec.withSetupSecretValues(values);
    }

    @Override
    public long deleteBase(String hash) throws SandboxException {
        recordedReady.remove(hash);
        return driver.deleteBase(hash);
    }

    @Override
    public Optional<BaseLayers> layers() {
        return driver.layers();
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
    public boolean supportsSetupSecrets() {
        return driver.supportsSetupSecrets();
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
    public Optional<byte[]> readFile(Sandbox sandbox, String path, long maxBytes) throws SandboxException {
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
        doc.put("tenant", spec.tenant());
        if (!spec.setupSecrets().isEmpty()) {
            // References only, in the spec's own form; the values are read again at each build.
            doc.put("setupSecrets", spec.setupSecrets().stream().map(RecordingDriver::reference).toList());
        }
        try {
            return JSON.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a base spec is strings only", e);
        }
    }

    private static Map<String, String> reference(SecretRef ref) {
        return ref.env() != null ? Map.of("name", ref.name(), "env", ref.env())
                : Map.of("name", ref.name(), "file", ref.file());
    }
}
