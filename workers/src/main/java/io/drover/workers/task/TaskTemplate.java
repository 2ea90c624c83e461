package io.drover.workers.task;

import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.NetworkPolicy;
import io.drover.sandbox.Resources;
import io.drover.persistence.retry.RetryPolicy;
import io.drover.sandbox.secret.SecretRef;
import java.util.List;
import java.util.Map;

/**
 * Everything a worker needs to run any subtask of a job, stored with the job. {@code command} (or
 * {@code agent}) and the values of {@code env} may hold {@code ${name}} placeholders that each
 * subtask's item fills in.
 *
 * @param agent          when set (and {@code command} is null), run on the worker host with the
 *                       subtask's sandbox reachable through the exec API
 * @param standbyAfterMs idle time before the subtask's sandbox stands by while an agent holds it
 * @param keepOnFailureMs how long a failed command's sandbox is kept for inspection; 0: not kept
 * @param diskMb         what the sandbox may write to /workspace and /tmp, in MiB; 0 (also every
 *                       template stored before disk limits): the pool's {@code drover.pool.sandbox-disk-mb}
 * @param tenant         the job's tenant, whose bases its subtasks start from
 * @param secrets        the tenant's secrets each attempt is given, by name: their values are read
 *                       at each attempt and are never stored here
 * @param setupSecrets   the tenant's secrets the base's setup is given, by name (read at each build)
 */
public record TaskTemplate(
        String command,
        Map<String, String> env,
        long timeoutMs,
        String driver,
        String image,
        List<String> setup,
        Map<String, String> setupEnv,
        int memoryMb,
        double vcpus,
        RetryPolicy retry,
        NetworkPolicy network,
        NetworkPolicy setupNetwork,
        String agent,
        long standbyAfterMs,
        long keepOnFailureMs,
        int diskMb,
        String tenant,
        List<SecretRef> secrets,
        List<SecretRef> setupSecrets) {

    /** The default idle time before standby (spec.sandbox.standbyAfter). */
    public static final long DEFAULT_STANDBY_AFTER_MS = 15_000;

    /** Templates stored before sandboxes had network policies read back with the defaults. */
    public TaskTemplate {
        env = Map.copyOf(env);
        setup = List.copyOf(setup);
        setupEnv = Map.copyOf(setupEnv);
        retry = retry == null ? RetryPolicy.NONE : retry;
        network = network == null ? NetworkPolicy.NONE : network;
        setupNetwork = setupNetwork == null ? NetworkPolicy.EGRESS : setupNetwork;
        tenant = tenant == null ? BaseSpec.DEFAULT_TENANT : tenant;
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
        setupSecrets = setupSecrets == null ? List.of() : List.copyOf(setupSecrets);
    }

    /** Without secrets. */
    public TaskTemplate(String command, Map<String, String> env, long timeoutMs, String driver, String image,
            List<String> setup, Map<String, String> setupEnv, int memoryMb, double vcpus, RetryPolicy retry,
            NetworkPolicy network, NetworkPolicy setupNetwork, String agent, long standbyAfterMs, long keepOnFailureMs,
            int diskMb, String tenant) {
        this(command, env, timeoutMs, driver, image, setup, setupEnv, memoryMb, vcpus, retry, network, setupNetwork,
                agent, standbyAfterMs, keepOnFailureMs, diskMb, tenant, List.of(), List.of());
    }

    /** With the pool's default disk limit, for the default tenant. */
    public TaskTemplate(String command, Map<String, String> env, long timeoutMs, String driver, String image,
            List<String> setup, Map<String, String> setupEnv, int memoryMb, double vcpus, RetryPolicy retry,
            NetworkPolicy network, NetworkPolicy setupNetwork, String agent, long standbyAfterMs, long keepOnFailureMs) {
        this(command, env, timeoutMs, driver, image, setup, setupEnv, memoryMb, vcpus, retry, network, setupNetwork,
                agent, standbyAfterMs, keepOnFailureMs, Resources.DRIVER_DEFAULT_DISK, null);
    }

    /** A command task without network: loopback-only commands, setup with egress. */
    public TaskTemplate(String command, Map<String, String> env, long timeoutMs, String driver, String image,
            List<String> setup, Map<String, String> setupEnv, int memoryMb, double vcpus, RetryPolicy retry) {
        this(command, env, timeoutMs, driver, image, setup, setupEnv, memoryMb, vcpus, retry, null, null, null,
                DEFAULT_STANDBY_AFTER_MS, 0);
    }

    /** What each subtask's sandbox is given. */
    public Resources resources() {
        return new Resources(memoryMb, vcpus, Resources.DEFAULT.maxProcesses(), network, diskMb);
    }

    /** The base every subtask of the job starts from. */
    public BaseSpec baseSpec() {
        return new BaseSpec(image, setup, setupEnv, setupNetwork, tenant, setupSecrets, Map.of());
    }

    public boolean hasAgent() {
        return agent != null;
    }
}
