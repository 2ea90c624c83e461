package io.drover.orchestrator.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.persistence.schedule.ScheduleSettings;
import io.drover.sandbox.NetworkPolicy;
import io.drover.sandbox.secret.SecretRef;
import io.drover.scheduler.schedule.ScheduleSettingsReader;
import io.drover.workers.task.Placeholders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Turns a parsed document into a {@link JobSpec}, or rejects it listing every bad field. */
public final class SpecValidator {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    /** A command is a script: larger programs belong in the base's setup or the repository. */
    static final int MAX_COMMAND = 256 * 1024;
    /** The kernel refuses a program whose environment holds one string over 128 KiB (MAX_ARG_STRLEN). */
    static final int MAX_ENV_VALUE = 32 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Fields of later versions of the spec: named so that users learn they are not available yet. */
    private static final Set<String> NOT_YET = Set.of();

    /**
     * @param maxItems       the most subtasks one job may fan out to
     * @param drivers        the sandbox drivers available on this server
     * @param defaultDriver  the driver used when the spec names none
     * @param setupSupported whether base snapshots with setup commands can be built here
     * @param hostNetwork    whether sandboxes may use the host's network ({@code network: host}, not isolated)
     * @param failedDrivers  drivers that failed their start-up preflight here, with its reason
     * @param setupSecretDrivers the drivers that can give a base's setup secrets
     */
    public record Limits(int maxItems, Set<String> drivers, String defaultDriver, boolean setupSupported,
            boolean hostNetwork, Set<String> networkedDrivers, Map<String, String> failedDrivers,
            Set<String> setupSecretDrivers) {
        public Limits {
            failedDrivers = Map.copyOf(failedDrivers);
            setupSecretDrivers = Set.copyOf(setupSecretDrivers);
        }

        /** Setup secrets where there is networking (the process driver's sandboxes). */
        public Limits(int maxItems, Set<String> drivers, String defaultDriver, boolean setupSupported,
                boolean hostNetwork, Set<String> networkedDrivers, Map<String, String> failedDrivers) {
            this(maxItems, drivers, defaultDriver, setupSupported, hostNetwork, networkedDrivers, failedDrivers,
                    networkedDrivers);
        }

        /** No driver failed its preflight. */
        public Limits(int maxItems, Set<String> drivers, String defaultDriver, boolean setupSupported,
                boolean hostNetwork, Set<String> networkedDrivers) {
            this(maxItems, drivers, defaultDriver, setupSupported, hostNetwork, networkedDrivers, Map.of());
        }

        /** With the host's network forbidden. */
        public Limits(int maxItems, Set<String> drivers, String defaultDriver, boolean setupSupported) {
            this(maxItems, drivers, defaultDriver, setupSupported, false);
        }

        /** Every driver with networking. */
        public Limits(int maxItems, Set<String> drivers, String defaultDriver, boolean setupSupported,
                boolean hostNetwork) {
            this(maxItems, drivers, defaultDriver, setupSupported, hostNetwork, drivers);
        }
    }

    private final Limits limits;

    public SpecValidator(Limits limits) {
        this.limits = limits;
    }

    public Limits limits() {
        return limits;
    }

    public JobSpec validate(JsonNode root) {
        Fields f = new Fields();
        if (!root.isObject()) {
            throw new InvalidSpecException(List.of(new FieldError("body", "must be a map with apiVersion, kind, metadata and spec")));
        }
        f.onlyKnown(root, "", Set.of("apiVersion", "kind", "metadata", "spec"));
        String apiVersion = f.string(root, "apiVersion", "", false).orElse("drover/v1");
        if (!apiVersion.equals("drover/v1")) {
            f.error("apiVersion", "must be drover/v1");
        }
        String kind = f.string(root, "kind", "", false).orElse("Job");
        if (!kind.equals("Job")) {
            f.error("kind", "must be Job");
        }
        JobSpec.Metadata metadata = metadata(f, root);
        JobSpec.Spec spec = f.object(root, "spec", "", true).map(s -> spec(f, s)).orElse(null);
        if (!f.errors.isEmpty()) {
            throw new InvalidSpecException(f.errors);
        }
        return new JobSpec(apiVersion, kind, metadata, spec);
    }

    private JobSpec.Metadata metadata(Fields f, JsonNode root) {
        Optional<JsonNode> node = f.object(root, "metadata", "", true);
        if (node.isEmpty()) {
            return null;
        }
        f.onlyKnown(node.get(), "metadata", Set.of("name", "labels"));
        String name = f.string(node.get(), "name", "metadata", true).orElse(null);
        if (name != null && (name.length() > 63 || !NAME.matcher(name).matches())) {
            f.error("metadata.name", "must be 1-63 lowercase letters, digits or '-', starting and ending with a letter or digit");
        }
        return new JobSpec.Metadata(name, f.stringMap(node.get(), "labels", "metadata"));
    }

    private JobSpec.Spec spec(Fields f, JsonNode spec) {
        Set<String> known = new LinkedHashSet<>(List.of("sandbox", "fanout", "task", "retry", "concurrency",
                "priority", "schedule", "budget"));
        spec.fieldNames().forEachRemaining(name -> {
            if (NOT_YET.contains(name)) {
                f.error("spec." + name, "is not supported by this server version yet; remove it");
            }
        });
        Set<String> allowedOrPlanned = new LinkedHashSet<>(known);
        allowedOrPlanned.addAll(NOT_YET);
        f.onlyKnown(spec, "spec", allowedOrPlanned);
        JobSpec.Sandbox sandbox = sandbox(f, spec);
        JobSpec.Task task = f.object(spec, "task", "spec", true).map(t -> task(f, t)).orElse(null);
        JobSpec.Fanout fanout = f.object(spec, "fanout", "spec", true).map(n -> fanout(f, n)).orElse(null);
        if (task != null && fanout != null) {
            checkPlaceholders(f, task, fanout);
        }
        JobSpec.Retry retry = RetryFields.read(f, spec);
        Integer concurrency = spec.hasNonNull("concurrency")
                ? f.integer(spec, "concurrency", "spec", 1, 1, 100_000) : null;
        int priority = f.integer(spec, "priority", "spec", 0, -1000, 1000);
        return new JobSpec.Spec(sandbox, fanout, task, retry, concurrency, priority, schedule(f, spec),
                BudgetFields.read(f, spec));
    }

    private static ScheduleSettings schedule(Fields f, JsonNode spec) {
        JsonNode node = spec.get("schedule");
        if (node == null || node.isNull()) {
            return null;
        }
        ScheduleSettingsReader.Result read = ScheduleSettingsReader.read(node, "spec.schedule");
        read.problems().forEach(p -> f.error(p.field(), p.message()));
        return read.settings().orElse(null);
    }

    private JobSpec.Sandbox sandbox(Fields f, JsonNode spec) {
        JsonNode node = f.object(spec, "sandbox", "spec", false).orElse(JSON.createObjectNode());
        String path = "spec.sandbox";
        f.onlyKnown(node, path, Set.of("driver", "image", "resources", "setup", "setupEnv", "setupSecrets",
                "standbyAfter", "network", "setupNetwork", "keepOnFailure"));
        String driver = f.string(node, "driver", path, false).orElse(limits.defaultDriver());
        if (!limits.drivers().contains(driver)) {
            String available = limits.drivers().isEmpty() ? "none" : String.join(", ", limits.drivers());
            f.error(path + ".driver", limits.failedDrivers().containsKey(driver)
                    ? limits.failedDrivers().get(driver) + "; drivers available here: " + available
                    : "must be one of the drivers available here: " + available);
        }
        String image = "host";
        JsonNode imageNode = node.get("image");
        if (imageNode != null && !(imageNode.isTextual() && imageNode.asText().equals("host"))) {
            f.error(path + ".image", "must be host (the only image available in this version)");
        }
        JsonNode resources = f.object(node, "resources", path, false).orElse(JSON.createObjectNode());
        f.onlyKnown(resources, path + ".resources", Set.of("memoryMb", "vcpus", "diskMb"));
        int memoryMb = f.integer(resources, "memoryMb", path + ".resources", 512, 16, 1_048_576);
        // Absent: 0, the worker's drover.pool.sandbox-disk-mb. Below 16 MiB ext4 has no room for a workspace.
        int diskMb = f.integer(resources, "diskMb", path + ".resources", JobSpec.Resources.POOL_DEFAULT_DISK,
                JobSpec.Resources.MIN_DISK_MB, JobSpec.Resources.MAX_DISK_MB);
        double vcpus = f.number(resources, "vcpus", path + ".resources", 1.0, 0.01, 256);
        List<String> setup = f.stringList(node, "setup", path);
        if (!setup.isEmpty() && !limits.setupSupported()) {
            f.error(path + ".setup", "base snapshots with setup commands are not supported by this server version yet");
        }
        Map<String, String> setupEnv = f.stringMap(node, "setupEnv", path);
        List<SecretRef> setupSecrets = SecretFields.setup(f, node, path, setupEnv.keySet());
        if (!setupSecrets.isEmpty() && limits.drivers().contains(driver) && !limits.setupSecretDrivers().contains(driver)) {
            f.error(path + ".setupSecrets", "is not supported by the " + driver + " driver: its base keeps the"
                    + " setup's memory, where a value could remain; use the process driver, or give the secret to"
                    + " the task (spec.task.secrets)");
        }
        long standbyAfterMs = f.durationMs(node, "standbyAfter", path, 15_000, 0, Duration.ofDays(1).toMillis());
        long keepOnFailureMs = f.durationMs(node, "keepOnFailure", path, 0, 1_000, Duration.ofDays(1).toMillis());
        boolean networked = !limits.drivers().contains(driver) || limits.networkedDrivers().contains(driver);
        NetworkPolicy network = NetworkField.read(node.get("network"), path + ".network", NetworkPolicy.NONE, f.errors);
        NetworkPolicy setupNetwork = NetworkField.read(node.get("setupNetwork"), path + ".setupNetwork",
                NetworkField.setupDefault(networked), f.errors);
        NetworkField.hostAllowed(network, path + ".network", limits.hostNetwork(), f.errors);
        NetworkField.hostAllowed(setupNetwork, path + ".setupNetwork", limits.hostNetwork(), f.errors);
        if (!networked) {
            // Such sandboxes have no network at all; only asking for none (or nothing) is honest.
            onlyNone(f, path + ".network", network, driver);
            onlyNone(f, path + ".setupNetwork", setupNetwork, driver);
        }
        return new JobSpec.Sandbox(driver, image, new JobSpec.Resources(memoryMb, vcpus, diskMb), setup, setupEnv,
                setupSecrets, standbyAfterMs, network, setupNetwork, keepOnFailureMs);
    }

    private static void onlyNone(Fields f, String field, NetworkPolicy policy, String driver) {
        if (!policy.equals(NetworkPolicy.NONE)) {
            f.error(field, "must be none: sandboxes of the " + driver + " driver have no network");
        }
    }

    private JobSpec.Task task(Fields f, JsonNode node) {
        String path = "spec.task";
        f.onlyKnown(node, path, Set.of("command", "agent", "env", "timeout", "secrets"));
        String command = null;
        String agent = null;
        if (node.has("command") && node.has("agent")) {
            f.error(path, "exactly one of command (run in the sandbox) or agent (run on the worker, with the sandbox"
                    + " reachable at $DROVER_SANDBOX_URL), not both");
        } else if (!node.has("command") && !node.has("agent")) {
            f.error(path + ".command", "is required: a shell command run in the sandbox (or give spec.task.agent,"
                    + " a command run on the worker that execs in the sandbox through $DROVER_SANDBOX_URL)");
        } else if (node.has("command")) {
            command = f.string(node, "command", path, true).orElse(null);
        } else {
            agent = f.string(node, "agent", path, true).orElse(null);
        }
        f.atMost(path + (command != null ? ".command" : ".agent"), command != null ? command : agent, MAX_COMMAND);
        Map<String, String> env = f.stringMap(node, "env", path);
        env.forEach((k, v) -> f.atMost(path + ".env." + k, v, MAX_ENV_VALUE));
        env.keySet().stream().filter(k -> !k.matches("[A-Za-z_][A-Za-z0-9_]*")).forEach(k ->
                f.error(path + ".env." + k, "must be a variable name: letters, digits and '_', not starting with a digit"));
        env.keySet().stream().filter(k -> k.startsWith("DROVER_")).forEach(k ->
                f.error(path + ".env." + k, "DROVER_ variables are set by Drover; choose another name"));
        long timeoutMs = f.durationMs(node, "timeout", path, Duration.ofMinutes(30).toMillis(), 1_000,
                Duration.ofDays(7).toMillis());
        return new JobSpec.Task(command, env, timeoutMs, agent, SecretFields.task(f, node, path, env.keySet(),
                agent != null));
    }

    private JobSpec.Fanout fanout(Fields f, JsonNode node) {
        String path = "spec.fanout";
        f.onlyKnown(node, path, Set.of("items", "matrix", "fromCommand"));
        int present = (node.has("items") ? 1 : 0) + (node.has("matrix") ? 1 : 0) + (node.has("fromCommand") ? 1 : 0);
        if (present != 1) {
            f.error(path, "exactly one of items, matrix, fromCommand");
            return null;
        }
        if (node.has("items")) {
            return new JobSpec.Fanout(items(f, node.get("items"), path + ".items"), null, null);
        }
        if (node.has("matrix")) {
            return new JobSpec.Fanout(null, matrix(f, node.get("matrix"), path + ".matrix"), null);
        }
        return new JobSpec.Fanout(null, null, f.string(node, "fromCommand", path, true).orElse(null));
    }

    private List<Map<String, Object>> items(Fields f, JsonNode node, String path) {
        List<Map<String, Object>> items = new ArrayList<>();
        if (!node.isArray() || node.isEmpty()) {
            f.error(path, "must be a non-empty list of strings or of maps");
            return items;
        }
        if (node.size() > limits.maxItems()) {
            f.error(path, "must have at most " + limits.maxItems() + " items, has " + node.size());
            return items;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (item.isValueNode() && !item.isNull()) {
                Map<String, Object> single = new LinkedHashMap<>();
                single.put("item", JSON.convertValue(item, Object.class));
                items.add(single);
            } else if (item.isObject() && !item.isEmpty()) {
                items.add(JSON.convertValue(item, Fanouts.MAP));
            } else {
                f.error(path + "[" + i + "]", "must be a string, a number, or a non-empty map");
            }
        }
        return items;
    }

    private Map<String, List<Object>> matrix(Fields f, JsonNode node, String path) {
        Map<String, List<Object>> matrix = new LinkedHashMap<>();
        if (!node.isObject() || node.isEmpty()) {
            f.error(path, "must be a map of names to non-empty lists of values");
            return matrix;
        }
        long product = 1;
        for (var it = node.fields(); it.hasNext(); ) {
            var e = it.next();
            JsonNode values = e.getValue();
            if (!values.isArray() || values.isEmpty()) {
                f.error(path + "." + e.getKey(), "must be a non-empty list of values");
                continue;
            }
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                if (values.get(i).isValueNode() && !values.get(i).isNull()) {
                    list.add(JSON.convertValue(values.get(i), Object.class));
                } else {
                    f.error(path + "." + e.getKey() + "[" + i + "]", "must be a string, number or boolean");
                }
            }
            product *= list.size();
            matrix.put(e.getKey(), list);
        }
        if (product > limits.maxItems()) {
            f.error(path, "expands to " + product + " combinations; at most " + limits.maxItems() + " are allowed");
        }
        return matrix;
    }

    /** With items known up front, every {@code ${name}} must be a key of every item. */
    private static void checkPlaceholders(Fields f, JobSpec.Task task, JobSpec.Fanout fanout) {
        Set<String> keys;
        String source;
        if (fanout.items() != null && !fanout.items().isEmpty()) {
            Set<String> common = new LinkedHashSet<>(fanout.items().get(0).keySet());
            for (Map<String, Object> item : fanout.items()) {
                common.retainAll(item.keySet());
            }
            keys = common;
            source = "every item of spec.fanout.items";
        } else if (fanout.matrix() != null) {
            keys = fanout.matrix().keySet();
            source = "spec.fanout.matrix";
        } else {
            return;
        }
        Map<String, String> templates = new LinkedHashMap<>();
        if (task.command() != null) {
            templates.put("spec.task.command", task.command());
        }
        if (task.agent() != null) {
            templates.put("spec.task.agent", task.agent());
        }
        task.env().forEach((k, v) -> templates.put("spec.task.env." + k, v));
        templates.forEach((field, template) -> Placeholders.names(template).stream()
                .filter(name -> !keys.contains(name))
                .forEach(name -> f.error(field, "${" + name + "} is not a key of " + source
                        + " (keys: " + String.join(", ", keys) + "); write $" + name + " for a shell variable")));
    }
}
