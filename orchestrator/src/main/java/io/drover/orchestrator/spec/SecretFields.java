package io.drover.orchestrator.spec;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.sandbox.secret.SecretRef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a list of secrets given by name, {@code [{name, env} | {name, file}]}: {@code spec.task.secrets}
 * (what each attempt gets) and {@code spec.sandbox.setupSecrets} (what a base's setup gets).
 */
public final class SecretFields {
    static final int MAX_SECRETS = 32;
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Absolute, in the sandbox's writable places, and with nothing the shell would read as syntax. */
    private static final Pattern TASK_FILE = Pattern.compile("/(workspace|tmp)(/[A-Za-z0-9._-]+)+");
    /** A setup's /workspace becomes the base every sandbox of the tenant starts from; its /tmp does not. */
    private static final Pattern SETUP_FILE = Pattern.compile("/tmp(/[A-Za-z0-9._-]+)+");

    /** Where a list's files may go, and what its variables must not clash with. */
    private record Kind(Pattern files, String where, String envField) {
    }

    private static final Kind TASK = new Kind(TASK_FILE, "under /workspace or /tmp", "spec.task.env");
    private static final Kind SETUP = new Kind(SETUP_FILE, "under /tmp (a setup's /workspace is kept in the base,"
            + " shared by every sandbox started from it; its /tmp is not)", "setupEnv");

    private SecretFields() {
    }

    /** {@code spec.task.secrets}; an agent's secrets must be env (it runs on the worker host). */
    static List<SecretRef> task(Fields f, JsonNode task, String path, Set<String> envNames, boolean agent) {
        return read(f, task.get("secrets"), path + ".secrets", envNames, TASK, agent);
    }

    /** {@code setupSecrets} of a sandbox at {@code path}. */
    static List<SecretRef> setup(Fields f, JsonNode sandbox, String path, Set<String> setupEnvNames) {
        return read(f, sandbox.get("setupSecrets"), Fields.join(path, "setupSecrets"), setupEnvNames, SETUP, false);
    }

    /** {@code setupSecrets} of a {@code POST /api/v1/sandboxes} body, its errors added to {@code problems}. */
    public static List<SecretRef> setup(JsonNode body, Set<String> setupEnvNames, List<FieldError> problems) {
        Fields f = new Fields();
        List<SecretRef> refs = setup(f, body, "", setupEnvNames);
        problems.addAll(f.errors);
        return refs;
    }

    private static List<SecretRef> read(Fields f, JsonNode list, String at, Set<String> envNames, Kind kind,
            boolean agent) {
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
            env.ifPresent(v -> variable(f, item + ".env", v, envNames, kind, variables));
            file.ifPresent(p -> file(f, item + ".file", p, kind, files, agent));
            if (name.isPresent() && (env.isPresent() || file.isPresent())) {
                refs.add(new SecretRef(name.get(), env.orElse(null), file.orElse(null)));
            }
        }
        return refs;
    }

    private static void variable(Fields f, String at, String v, Set<String> envNames, Kind kind, Set<String> seen) {
        if (!VARIABLE.matcher(v).matches()) {
            f.error(at, "must be a variable name: letters, digits and '_', not starting with a digit");
        } else if (v.startsWith("DROVER_")) {
            f.error(at, "DROVER_ variables are set by Drover; choose another name");
        } else if (envNames.contains(v)) {
            f.error(at, "is set by " + kind.envField() + "." + v + " too; a variable holds one value");
        } else if (!seen.add(v)) {
            f.error(at, "is the variable of another secret too");
        }
    }

    private static void file(Fields f, String at, String p, Kind kind, Set<String> seen, boolean agent) {
        if (agent) {
            f.error(at, "needs spec.task.command: an agent runs on the worker host, not in the sandbox; give the"
                    + " secret as env");
        } else if (!kind.files().matcher(p).matches() || p.contains("/../") || p.endsWith("/..") || p.contains("/./")
                || p.endsWith("/.")) {
            f.error(at, "must be an absolute path " + kind.where() + ", of letters, digits, '.', '_', '-' and '/'"
                    + " (no '.' or '..' steps)");
        } else if (!seen.add(p)) {
            f.error(at, "is the file of another secret too");
        }
    }
}
