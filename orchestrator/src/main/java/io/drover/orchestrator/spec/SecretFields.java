package io.drover.orchestrator.spec;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.workers.secret.SecretRef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads {@code spec.task.secrets}: which of the tenant's secrets a task gets, and as what. */
final class SecretFields {
    static final int MAX_SECRETS = 32;
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Absolute, in the sandbox's writable places, and with nothing the shell would read as syntax. */
    private static final Pattern FILE = Pattern.compile("/(workspace|tmp)(/[A-Za-z0-9._-]+)+");

    private SecretFields() {
    }

    static List<SecretRef> read(Fields f, JsonNode task, String path, Set<String> envNames, boolean agent) {
        String at = path + ".secrets";
        JsonNode list = task.get("secrets");
        List<SecretRef> refs = new ArrayList<>();
        if (list == null || list.isNull()) {
            return refs;
        }
        if (!list.isArray()) {
            f.error(at, "must be a list of {name, env} or {name, file}");
            return refs;
        }
        if (list.size() > MAX_SECRETS) {
            f.error(at, "must name at most " + MAX_SECRETS + " secrets");
        }
        Set<String> variables = new HashSet<>();
        Set<String> files = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String item = at + "[" + i + "]";
            JsonNode node = list.get(i);
            if (!node.isObject()) {
                f.error(item, "must be a map: {name, env} or {name, file}");
                continue;
            }
            f.onlyKnown(node, item, Set.of("name", "env", "file"));
            Optional<String> name = f.string(node, "name", item, true);
            name.filter(n -> !n.matches(SecretRef.NAME)).ifPresent(n -> f.error(item + ".name", "must be a secret"
                    + " name: letters, digits, '.', '_' and '-', starting with a letter or digit, at most 63 characters"));
            if (node.has("env") == node.has("file")) {
                f.error(item, "exactly one of env (a variable that holds the value) or file (a path the value is"
                        + " written to)");
                continue;
            }
            Optional<String> env = f.string(node, "env", item, false);
            Optional<String> file = f.string(node, "file", item, false);
            env.ifPresent(v -> variable(f, item + ".env", v, envNames, variables));
            file.ifPresent(p -> file(f, item + ".file", p, files, agent));
            if (name.isPresent() && (env.isPresent() || file.isPresent())) {
                refs.add(new SecretRef(name.get(), env.orElse(null), file.orElse(null)));
            }
        }
        return refs;
    }

    private static void variable(Fields f, String at, String v, Set<String> envNames, Set<String> seen) {
        if (!VARIABLE.matcher(v).matches()) {
            f.error(at, "must be a variable name: letters, digits and '_', not starting with a digit");
        } else if (v.startsWith("DROVER_")) {
            f.error(at, "DROVER_ variables are set by Drover; choose another name");
        } else if (envNames.contains(v)) {
            f.error(at, "is set by spec.task.env." + v + " too; a variable holds one value");
        } else if (!seen.add(v)) {
            f.error(at, "is the variable of another secret too");
        }
    }

    private static void file(Fields f, String at, String p, Set<String> seen, boolean agent) {
        if (agent) {
            f.error(at, "needs spec.task.command: an agent runs on the worker host, not in the sandbox; give the"
                    + " secret as env");
        } else if (!FILE.matcher(p).matches() || p.contains("/../") || p.endsWith("/..") || p.contains("/./")
                || p.endsWith("/.")) {
            f.error(at, "must be an absolute path under /workspace or /tmp, of letters, digits, '.', '_', '-' and '/'"
                    + " (no '.' or '..' steps)");
        } else if (!seen.add(p)) {
            f.error(at, "is the file of another secret too");
        }
    }
}
