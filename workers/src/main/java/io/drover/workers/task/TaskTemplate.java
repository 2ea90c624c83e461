package io.drover.workers.task;

import io.drover.workers.retry.RetryPolicy;
import java.util.List;
import java.util.Map;

/**
 * Everything a worker needs to run any subtask of a job, stored with the job. {@code command} and
 * the values of {@code env} may hold {@code ${name}} placeholders that each subtask's item fills in.
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
        RetryPolicy retry) {

    public TaskTemplate {
        env = Map.copyOf(env);
        setup = List.copyOf(setup);
        setupEnv = Map.copyOf(setupEnv);
        retry = retry == null ? RetryPolicy.NONE : retry;
    }
}
