package io.drover.orchestrator.spec;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.persistence.retry.FailureClass;
import io.drover.persistence.retry.RetryPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads {@code spec.retry}. */
final class RetryFields {
    /** No {@code spec.retry}: the policy's defaults, which retry nothing. */
    static final JobSpec.Retry NONE = new JobSpec.Retry(RetryPolicy.NONE.maxAttempts(), RetryPolicy.NONE.initialBackoffMs(),
            RetryPolicy.NONE.multiplier(), RetryPolicy.NONE.maxBackoffMs(), List.of(), List.of(), List.of());
    private static final String CLASSES = Arrays.stream(FailureClass.RETRYABLE).map(FailureClass::code)
            .collect(Collectors.joining(", "));

    private RetryFields() {
    }

    static JobSpec.Retry read(Fields f, JsonNode spec) {
        JsonNode node = f.object(spec, "retry", "spec", false).orElse(null);
        if (node == null) {
            return NONE;
        }
        String path = "spec.retry";
        f.onlyKnown(node, path, Set.of("maxAttempts", "backoff", "retryOn", "doNotRetryOn"));
        int maxAttempts = f.integer(node, "maxAttempts", path, 1, 1, 100);
        JsonNode backoff = f.object(node, "backoff", path, false).orElse(null);
        long initial = NONE.initialBackoffMs();
        double multiplier = NONE.multiplier();
        long max = NONE.maxBackoffMs();
        if (backoff != null) {
            String at = path + ".backoff";
            f.onlyKnown(backoff, at, Set.of("initial", "multiplier", "max"));
            initial = f.durationMs(backoff, "initial", at, initial, 0, 86_400_000);
            multiplier = f.number(backoff, "multiplier", at, multiplier, 1.0, 10.0);
            max = f.durationMs(backoff, "max", at, Math.max(max, initial), 0, 86_400_000);
            if (max < initial) {
                f.error(at + ".max", "must be at least backoff.initial");
            }
        }
        List<String> retryOn = new ArrayList<>();
        List<Integer> exitCodes = new ArrayList<>();
        JsonNode classes = node.get("retryOn");
        if (classes == null || classes.isNull()) {
            Arrays.stream(FailureClass.RETRYABLE).map(FailureClass::code).forEach(retryOn::add);
        } else if (!classes.isArray()) {
            f.error(path + ".retryOn", "must be a list of " + CLASSES);
        } else {
            for (int i = 0; i < classes.size(); i++) {
                readClass(f, classes.get(i), path + ".retryOn[" + i + "]", retryOn, exitCodes);
            }
        }
        List<Integer> doNotRetryOn = exitCodes(f, node.get("doNotRetryOn"), path + ".doNotRetryOn");
        return new JobSpec.Retry(maxAttempts, initial, multiplier, max, retryOn, exitCodes, doNotRetryOn);
    }

    /** {@code nonzero-exit}, or {@code {nonzero-exit: [1, 75]}} to retry only those exit codes. */
    private static void readClass(Fields f, JsonNode element, String at, List<String> retryOn, List<Integer> exitCodes) {
        if (element.isTextual() && isRetryable(element.asText())) {
            retryOn.add(element.asText());
        } else if (element.isObject() && element.size() == 1 && element.has(FailureClass.NONZERO_EXIT.code())) {
            retryOn.add(FailureClass.NONZERO_EXIT.code());
            exitCodes.addAll(exitCodes(f, element.get(FailureClass.NONZERO_EXIT.code()), at + ".nonzero-exit"));
        } else {
            f.error(at, "must be one of " + CLASSES + ", or {nonzero-exit: [exit codes]}");
        }
    }

    private static boolean isRetryable(String code) {
        return Arrays.stream(FailureClass.RETRYABLE).anyMatch(c -> c.code().equals(code));
    }

    private static List<Integer> exitCodes(Fields f, JsonNode node, String at) {
        List<Integer> codes = new ArrayList<>();
        if (node == null || node.isNull()) {
            return codes;
        }
        if (!node.isArray()) {
            f.error(at, "must be a list of exit codes from 1 to 255");
            return codes;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode code = node.get(i);
            if (code.isIntegralNumber() && code.asInt() >= 1 && code.asInt() <= 255) {
                codes.add(code.asInt());
            } else {
                f.error(at + "[" + i + "]", "must be an exit code from 1 to 255");
            }
        }
        return codes;
    }
}
