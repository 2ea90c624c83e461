package io.drover.sandbox.process;

import io.drover.sandbox.BaseBuildLock;
import io.drover.sandbox.BaseSetupFailed;
import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.Command;
import io.drover.sandbox.ExecResult;
import io.drover.sandbox.SandboxException;
import io.drover.sandbox.process.base.BaseStore;
import io.drover.sandbox.process.base.SetupLog;
import io.drover.sandbox.secret.Redactor;
import io.drover.sandbox.secret.SecretInjection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a base once per hash: setup runs in a sandbox over an empty layer, and that sandbox's
 * upper dir becomes the base layer. Setup runs with the spec's {@link BaseSpec#setupNetwork()}
 * policy (egress by default), so that steps can clone repositories and install packages.
 * Setup secrets reach each step as variables or as files under /tmp, which is not part of the
 * base; their values are redacted from the setup's log before it is written.
 */
final class BaseBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(BaseBuilder.class);

    private final BaseStore store;
    private final Sandboxes sandboxes;
    private final BaseBuildLock lock;
    private final ProcessDriverSettings settings;
    private final Path emptyLayer;

    BaseBuilder(BaseStore store, Sandboxes sandboxes, ProcessDriverSettings settings, Path emptyLayer) {
        this.store = store;
        this.sandboxes = sandboxes;
        this.lock = settings.buildLock();
        this.settings = settings;
        this.emptyLayer = emptyLayer;
    }

    BaseSnapshot prepare(BaseSpec spec) throws SandboxException {
        return lock.once(spec, store::find, this::build);
    }

    private BaseSnapshot build(BaseSpec spec) throws SandboxException, InterruptedException {
        long start = System.nanoTime();
        if (spec.setup().isEmpty()) {
            try {
                Path staging = sandboxes.stagingDir();
                Path layer = Files.createDirectories(staging.resolveSibling(staging.getFileName() + "-layer"));
                SandboxDirs.owned(layer, settings.user(), "rwxr-xr-x");
                return store.commit(spec, layer, Duration.ZERO, staging);
            } catch (IOException e) {
                throw new SandboxException("could not create the empty base " + spec.hash() + ": " + e.getMessage(), e);
            }
        }
        String id = "base-" + spec.hash().substring(0, 12) + "-" + UUID.randomUUID().toString().substring(0, 8);
        LOG.info("Building base {} ({} setup steps) in sandbox {}", spec.hash(), spec.setup().size(), id);
        ProcessSandbox sandbox = sandboxes.create(id, null, List.of(emptyLayer), settings.setupResources().withNetwork(spec.setupNetwork()),
                false);
        SecretInjection secrets = SecretInjection.of(spec.setupSecrets(), spec.setupSecretValues());
        try (SetupLog log = new SetupLog(sandbox.dirs().dir().resolve("setup.log"))) {
            Redactor output = new Redactor(secrets.byName(), log);
            for (String step : spec.setup()) {
                log.line("$ " + step);
                ExecResult result = sandboxes.exec(sandbox, new Command(secrets.command(step),
                        environment(spec, secrets), settings.setupTimeout(), output, output)).await();
                output.flush();
                if (!result.succeeded()) {
                    LOG.warn("Base {} not built: setup step '{}' ended {} with {}; the next prepare retries it",
                            spec.hash(), step, result.termination(), result.exitCode());
                    throw new BaseSetupFailed(step, result.exitCode(), log.tail());
                }
            }
            Path upper = sandboxes.detachUpper(sandbox);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            BaseSnapshot base = store.commit(spec, upper, took, sandbox.dirs().dir().resolve("staging"));
            LOG.info("Base {} ready: {} bytes, built in {} ms", spec.hash(), base.sizeBytes(), took.toMillis());
            return base;
        } catch (IOException e) {
            throw new SandboxException("could not keep the base " + spec.hash() + ": " + e.getMessage(), e);
        } finally {
            sandboxes.destroy(sandbox);
        }
    }

    private static Map<String, String> environment(BaseSpec spec, SecretInjection secrets) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("LANG", "C.UTF-8");
        env.putAll(spec.setupEnv());
        env.putAll(secrets.env());
        return env;
    }
}
