package io.drover.orchestrator.hostile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A corpus of malformed and hostile job specs: a valid spec with one field at a time made wrong
 * (wrong types, out-of-range and huge values, injection strings, unknown keys), and documents that
 * attack the parser itself (alias bombs, deep nesting, bad bytes, several documents, oversized).
 * Each case says which field or limit the refusal must name.
 */
final class HostileSpecs {
    static final String YAML_TYPE = "application/yaml";
    static final String JSON_TYPE = "application/json";

    /** One hostile request: its body, content type, and the field (or limit) the problem must name. */
    record Case(String name, String contentType, byte[] body, String names) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Strings that try to escape into SQL, shells, templates, lookups or terminals. */
    static final List<String> INJECTIONS = List.of("'; DROP TABLE job; --", "\" OR 1=1 --", "$(rm -rf /)",
            "`reboot`", "${jndi:ldap://127.0.0.1:1/a}", "{{7*7}}", "<script>alert(1)</script>", "../../../etc/passwd",
            "a\u0000b", "\u202Eexe.txt", "\u001B[2J\u001B[H", "%s%s%s%n", "\uD83D\uDCA3", "\uFEFFbom", "x".repeat(70_000));

    private HostileSpecs() {
    }

    /** A spec the server accepts: every case is this with one thing broken. */
    static ObjectNode valid() {
        try {
            return (ObjectNode) JSON.readTree("""
                    {"apiVersion": "drover/v1", "kind": "Job",
                     "metadata": {"name": "hostile", "labels": {"team": "red"}},
                     "spec": {
                       "sandbox": {"driver": "process", "image": "host", "resources": {"memoryMb": 256, "vcpus": 1},
                                   "setup": ["true"], "setupEnv": {"A": "b"}, "standbyAfter": "15s",
                                   "network": "none", "keepOnFailure": "1m"},
                       "fanout": {"items": ["a", "b"]},
                       "task": {"command": "echo ${item}", "env": {"GREETING": "hi"}, "timeout": "1m"},
                       "retry": {"maxAttempts": 2, "backoff": {"initial": "1s", "multiplier": 2, "max": "10s"},
                                 "retryOn": ["nonzero-exit"]},
                       "concurrency": 2, "priority": 1,
                       "budget": {"maxCostUsd": 1.5, "onExceeded": "finish-running"}}}
                    """);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        wrongFields(cases);
        unknownKeys(cases);
        injections(cases);
        documents(cases);
        return cases;
    }

    /** Values each field must refuse, by the spec's own rules (docs/job-spec.md). */
    private static void wrongFields(List<Case> cases) {
        JsonNode list = NODES.arrayNode().add(1);
        JsonNode map = NODES.objectNode().put("k", "v");
        JsonNode text = NODES.textNode("text");
        JsonNode yes = NODES.booleanNode(true);
        JsonNode number = NODES.numberNode(5);
        JsonNode empty = NODES.textNode("");
        JsonNode huge = NODES.numberNode(new BigInteger("9".repeat(400)));
        JsonNode hugeDecimal = NODES.numberNode(new BigDecimal("1e400"));
        Map<String, List<JsonNode>> wrong = new LinkedHashMap<>();
        wrong.put("apiVersion", List.of(number, list, map, yes, empty, NODES.textNode("drover/v2"), NODES.textNode("v1")));
        wrong.put("kind", List.of(number, list, map, yes, empty, NODES.textNode("job"), NODES.textNode("CronJob")));
        wrong.put("metadata", List.of(number, list, text, yes));
        wrong.put("metadata.name", List.of(number, list, map, yes, empty, NODES.textNode("UPPER"),
                NODES.textNode("-lead"), NODES.textNode("trail-"), NODES.textNode("a".repeat(64)),
                NODES.textNode("with space"), NODES.textNode("dot.ted"), NODES.textNode("ünïcode")));
        wrong.put("metadata.labels", List.of(number, list, text, yes, NODES.objectNode().set("k", map),
                NODES.objectNode().set("k", list)));
        wrong.put("spec", List.of(number, list, text, yes));
        wrong.put("spec.task", List.of(number, list, text, yes));
        wrong.put("spec.task.command", List.of(number, list, map, yes, empty, NODES.textNode("   ")));
        wrong.put("spec.task.timeout", List.of(list, map, yes, empty, text, NODES.textNode("-1s"),
                NODES.textNode("9999999d"), NODES.textNode("1e9s"), huge));
        wrong.put("spec.task.env", List.of(number, list, text, yes, NODES.objectNode().put("1BAD", "v"),
                NODES.objectNode().put("A B", "v"), NODES.objectNode().put("A;rm -rf /", "v"),
                NODES.objectNode().put("DROVER_TOKEN", "v"), NODES.objectNode().set("A", map),
                NODES.objectNode().set("A", list)));
        wrong.put("spec.task.secrets", List.of(number, text, map, yes, NODES.arrayNode().add(text),
                NODES.arrayNode().add(NODES.objectNode().put("name", "db")),
                NODES.arrayNode().add(NODES.objectNode().put("name", "db").put("env", "A").put("file", "/tmp/a")),
                NODES.arrayNode().add(NODES.objectNode().put("name", "-db").put("env", "A")),
                NODES.arrayNode().add(NODES.objectNode().put("name", "db").put("env", "DROVER_TOKEN")),
                NODES.arrayNode().add(NODES.objectNode().put("name", "db").put("env", "A;rm -rf /")),
                NODES.arrayNode().add(NODES.objectNode().put("name", "db").put("file", "/etc/passwd")),
                NODES.arrayNode().add(NODES.objectNode().put("name", "db").put("file", "/tmp/../etc/x")),
                NODES.arrayNode().add(NODES.objectNode().put("name", "db").put("file", "/tmp/a'; rm -rf /'")),
                NODES.arrayNode().add(NODES.objectNode().put("name", "missing-secret").put("env", "A"))));
        wrong.put("spec.sandbox.setupSecrets", List.of(number, text, map, yes, NODES.arrayNode().add(text),
                NODES.arrayNode().add(NODES.objectNode().put("name", "db")),
                NODES.arrayNode().add(NODES.objectNode().put("name", "db").put("env", "A").put("file", "/tmp/a")),
                NODES.arrayNode().add(NODES.objectNode().put("name", "db").put("env", "DROVER_TOKEN")),
                NODES.arrayNode().add(NODES.objectNode().put("name", "db").put("file", "/workspace/.npmrc")),
                NODES.arrayNode().add(NODES.objectNode().put("name", "db").put("file", "/tmp/../workspace/x")),
                NODES.arrayNode().add(NODES.objectNode().put("name", "db").put("file", "/tmp/a$(id)")),
                NODES.arrayNode().add(NODES.objectNode().put("name", "missing-secret").put("env", "A"))));
        wrong.put("spec.fanout", List.of(number, list, text, yes, NODES.objectNode(),
                NODES.objectNode().put("fromCommand", "seq 3").set("items", NODES.arrayNode().add("a"))));
        wrong.put("spec.fanout.items", List.of(number, text, map, yes, NODES.arrayNode(),
                NODES.arrayNode().add(NODES.objectNode()), NODES.arrayNode().add(NODES.arrayNode().add(1)),
                NODES.arrayNode().addNull(), NODES.arrayNode().add(1).add(NODES.arrayNode())));
        wrong.put("spec.sandbox", List.of(number, list, text, yes));
        wrong.put("spec.sandbox.driver", List.of(number, list, map, yes, empty, NODES.textNode("docker"),
                NODES.textNode("process; rm -rf /"), NODES.textNode("PROCESS")));
        wrong.put("spec.sandbox.image", List.of(number, list, map, yes, empty, NODES.textNode("ubuntu:22.04"),
                NODES.textNode("host "), NODES.textNode("HOST")));
        wrong.put("spec.sandbox.resources", List.of(number, list, text, yes));
        wrong.put("spec.sandbox.resources.memoryMb", List.of(NODES.numberNode(0), NODES.numberNode(15),
                NODES.numberNode(-1), NODES.numberNode(1_048_577), NODES.numberNode(1.5), NODES.textNode("512"),
                huge, hugeDecimal, list, map, yes, NODES.numberNode(Long.MAX_VALUE)));
        wrong.put("spec.sandbox.resources.diskMb", List.of(NODES.numberNode(0), NODES.numberNode(15),
                NODES.numberNode(-1), NODES.numberNode(1_048_577), NODES.numberNode(1.5), NODES.textNode("10240"),
                huge, hugeDecimal, list, map, yes, NODES.numberNode(Long.MAX_VALUE)));
        wrong.put("spec.sandbox.resources.vcpus", List.of(NODES.numberNode(0), NODES.numberNode(-1),
                NODES.numberNode(257), NODES.textNode("1"), hugeDecimal, list, map, yes));
        wrong.put("spec.sandbox.setup", List.of(number, map, yes, NODES.arrayNode().add(5),
                NODES.arrayNode().add(map), NODES.arrayNode().add(""), NODES.arrayNode().addNull()));
        wrong.put("spec.sandbox.setupEnv", List.of(number, list, text, yes, NODES.objectNode().set("A", list),
                NODES.objectNode().set("A", map)));
        wrong.put("spec.sandbox.standbyAfter", List.of(number, list, map, yes, empty, text, NODES.textNode("2d"),
                NODES.textNode("-5s"), NODES.textNode("1e400s")));
        wrong.put("spec.sandbox.keepOnFailure", List.of(list, map, yes, text, NODES.textNode("2d"),
                NODES.textNode("0s"), NODES.textNode("500ms")));
        wrong.put("spec.sandbox.network", List.of(number, list, yes, empty, NODES.textNode("internet"),
                NODES.textNode("host"), NODES.objectNode().put("allow", "x"),
                NODES.objectNode().set("allow", NODES.arrayNode().add(5)),
                NODES.objectNode().set("allow", NODES.arrayNode().add("not a host")),
                NODES.objectNode().set("allow", NODES.arrayNode().add("10.0.0.1:99999")),
                NODES.objectNode().set("deny", NODES.arrayNode().add("x"))));
        wrong.put("spec.retry", List.of(number, list, text, yes));
        wrong.put("spec.retry.maxAttempts", List.of(NODES.numberNode(0), NODES.numberNode(101),
                NODES.numberNode(-3), NODES.numberNode(2.5), text, list, map, huge));
        wrong.put("spec.retry.backoff", List.of(number, list, text, yes,
                NODES.objectNode().put("initial", "10s").put("max", "1s")));
        wrong.put("spec.retry.backoff.multiplier", List.of(NODES.numberNode(0.5), NODES.numberNode(11), text,
                list, hugeDecimal));
        wrong.put("spec.retry.retryOn", List.of(number, text, map, NODES.arrayNode().add("everything"),
                NODES.arrayNode().add(5), NODES.arrayNode().add(NODES.objectNode().set("nonzero-exit",
                        NODES.arrayNode().add(0))),
                NODES.arrayNode().add(NODES.objectNode().set("nonzero-exit", NODES.arrayNode().add(256)))));
        wrong.put("spec.concurrency", List.of(NODES.numberNode(0), NODES.numberNode(-1), NODES.numberNode(100_001),
                NODES.numberNode(1.5), text, list, map, yes, huge));
        wrong.put("spec.priority", List.of(NODES.numberNode(1001), NODES.numberNode(-1001), NODES.numberNode(0.5),
                text, list, map, yes, huge));
        wrong.put("spec.budget", List.of(number, list, text, yes, NODES.objectNode()));
        wrong.put("spec.budget.maxCostUsd", List.of(NODES.numberNode(0), NODES.numberNode(-1), text, list, map,
                yes, huge, hugeDecimal));
        wrong.put("spec.budget.onExceeded", List.of(number, list, map, yes, empty, NODES.textNode("explode")));
        wrong.put("spec.schedule", List.of(number, list, text, yes, NODES.objectNode().put("cron", "not a cron"),
                NODES.objectNode().put("cron", "* * * * * * * * *"), NODES.objectNode().put("cron", "0 0 * * *")
                        .put("timezone", "Mars/Olympus")));
        int n = 0;
        for (Map.Entry<String, List<JsonNode>> field : wrong.entrySet()) {
            for (JsonNode value : field.getValue()) {
                ObjectNode spec = valid();
                set(spec, field.getKey(), value);
                String type = n++ % 2 == 0 ? JSON_TYPE : YAML_TYPE;
                cases.add(new Case(field.getKey() + " = " + brief(value) + " (" + type + ")", type,
                        write(spec, type), field.getKey()));
            }
            ObjectNode withNull = valid();
            if (required(field.getKey())) {
                set(withNull, field.getKey(), NODES.nullNode());
                cases.add(new Case(field.getKey() + " = null", YAML_TYPE, write(withNull, YAML_TYPE), field.getKey()));
                ObjectNode missing = valid();
                remove(missing, field.getKey());
                cases.add(new Case(field.getKey() + " missing", JSON_TYPE, write(missing, JSON_TYPE), field.getKey()));
            }
        }
    }

    private static boolean required(String path) {
        return List.of("metadata", "metadata.name", "spec", "spec.task", "spec.task.command", "spec.fanout")
                .contains(path);
    }

    /** A key nobody knows, at every level of the spec, under several names. */
    private static void unknownKeys(List<Case> cases) {
        List<String> maps = List.of("", "metadata", "spec", "spec.task", "spec.fanout", "spec.sandbox",
                "spec.sandbox.resources", "spec.retry", "spec.retry.backoff", "spec.budget");
        List<String> keys = List.of("bogus", "Spec", "commandd", "__proto__", "$where", "'; DROP TABLE job; --",
                "k".repeat(10_000), "\u0000");
        int n = 0;
        for (String at : maps) {
            for (String key : keys) {
                ObjectNode spec = valid();
                ObjectNode parent = at.isEmpty() ? spec : (ObjectNode) node(spec, at);
                parent.put(key, "x");
                String field = at.isEmpty() ? key : at + "." + key;
                String type = n++ % 2 == 0 ? JSON_TYPE : YAML_TYPE;
                cases.add(new Case("unknown " + brief(NODES.textNode(field)) + " (" + type + ")", type,
                        write(spec, type), field.substring(0, Math.min(field.length(), 200))));
            }
        }
    }

    /** Injection strings where the spec wants a name, a duration, a number or a driver. */
    private static void injections(List<Case> cases) {
        List<String> strict = List.of("metadata.name", "spec.task.timeout", "spec.sandbox.driver",
                "spec.sandbox.standbyAfter", "spec.sandbox.resources.memoryMb", "spec.sandbox.resources.diskMb",
                "spec.concurrency", "apiVersion",
                "spec.sandbox.network", "spec.budget.onExceeded");
        int n = 0;
        for (String field : strict) {
            for (String injection : INJECTIONS) {
                ObjectNode spec = valid();
                set(spec, field, NODES.textNode(injection));
                String type = n++ % 2 == 0 ? JSON_TYPE : YAML_TYPE;
                cases.add(new Case(field + " = " + brief(NODES.textNode(injection)) + " (" + type + ")", type,
                        write(spec, type), field));
            }
            ObjectNode env = valid();
            ((ObjectNode) node(env, "spec.task.env")).put(INJECTIONS.get(n % INJECTIONS.size()), "v");
            cases.add(new Case("env name " + n, JSON_TYPE, write(env, JSON_TYPE), "spec.task.env."));
        }
    }

    /** Documents that attack the parser rather than the fields. */
    private static void documents(List<Case> cases) {
        String valid = new String(write(valid(), YAML_TYPE), StandardCharsets.UTF_8);
        String validJson = new String(write(valid(), JSON_TYPE), StandardCharsets.UTF_8);
        yaml(cases, "empty body", "", "body");
        yaml(cases, "whitespace body", " \n\t\n ", "body");
        yaml(cases, "null document", "null", "body");
        yaml(cases, "tilde document", "~", "body");
        yaml(cases, "list document", "[1, 2, 3]", "body");
        yaml(cases, "scalar document", "42", "body");
        yaml(cases, "string document", "\"apiVersion: drover/v1\"", "body");
        json(cases, "JSON list", "[]", "body");
        json(cases, "JSON number", "1e999999", "body");
        json(cases, "JSON trailing comma", validJson.replaceFirst("\\}\\s*$", ",}"), "body");
        json(cases, "JSON unterminated string", "{\"apiVersion\": \"drover/v1", "body");
        json(cases, "JSON two documents", validJson + " " + validJson, "body");
        json(cases, "JSON comment", "// hi\n" + validJson, "body");
        json(cases, "JSON single quotes", validJson.replace('"', '\''), "body");
        json(cases, "JSON duplicate key", "{\"kind\": \"Job\", \"kind\": \"Job\"}", "body");
        json(cases, "JSON as YAML content is not JSON", "apiVersion: drover/v1", "body");
        yaml(cases, "YAML duplicate key", "kind: Job\nkind: Job\n" + valid, "body");
        yaml(cases, "YAML two documents", valid + "\n---\n" + valid, "body");
        yaml(cases, "YAML tabs", "metadata:\n\tname: x\n", "body");
        yaml(cases, "YAML unclosed flow", "spec: {fanout: [1, 2", "body");
        yaml(cases, "YAML bad indentation", "spec:\n  task:\n command: x\n   fanout: 1", "body");
        yaml(cases, "YAML java type tag", "!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader"
                + " [[!!java.net.URL [\"http://127.0.0.1:1/\"]]]]", "body");
        yaml(cases, "YAML python tag", "!!python/object/apply:os.system [\"true\"]", "body");
        yaml(cases, "YAML binary where a map is", "!!binary aGVsbG8=", "body");
        yaml(cases, "YAML set", "!!set {a, b}", null);
        yaml(cases, "YAML merge into spec", "base: &b {kind: Job}\n<<: *b\n" + valid, null);
        yaml(cases, "YAML undefined alias", "spec: *nothing", "spec");
        yaml(cases, "YAML NaN vcpus", valid.replace("vcpus: 1", "vcpus: .nan"), "body");
        yaml(cases, "YAML infinite memory", valid.replace("memoryMb: 256", "memoryMb: .inf"), "body");
        yaml(cases, "YAML hex priority out of range", valid.replace("priority: 1", "priority: 0xFFFFFFFFFF"),
                "spec.priority");
        yaml(cases, "YAML number-looking name", valid.replace("name: \"hostile\"", "name: 1e3"), "metadata.name");
        yaml(cases, "YAML boolean-looking driver", valid.replace("driver: \"process\"", "driver: yes"),
                "spec.sandbox.driver");
        yaml(cases, "YAML complex key", "? [a, b]\n: c\n" + valid, null);
        for (int levels = 6; levels <= 9; levels++) {
            yaml(cases, "YAML alias bomb, " + levels + " levels", aliasBomb(levels), null);
        }
        for (int depth : new int[] {2_000, 20_000, 200_000}) {
            json(cases, "JSON nested " + depth + " lists", "[".repeat(depth) + "]".repeat(depth), "body");
            yaml(cases, "YAML nested " + depth + " flow lists", "[".repeat(depth) + "]".repeat(depth), "body");
            yaml(cases, "YAML nested " + depth + " maps under spec", "spec: " + "{a: ".repeat(depth)
                    + "1" + "}".repeat(depth), "body");
        }
        byte[] invalidUtf8 = valid.getBytes(StandardCharsets.UTF_8);
        byte[] broken = Arrays.copyOf(invalidUtf8, invalidUtf8.length + 3);
        broken[broken.length - 3] = (byte) 0xC3;
        broken[broken.length - 2] = (byte) 0x28;
        broken[broken.length - 1] = (byte) 0xFF;
        cases.add(new Case("YAML with invalid UTF-8", YAML_TYPE, broken, "body"));
        cases.add(new Case("JSON with invalid UTF-8", JSON_TYPE,
                ("{\"kind\": \"" + "\u00FF" + "\"}").getBytes(StandardCharsets.ISO_8859_1), "kind"));
        cases.add(new Case("NUL bytes", YAML_TYPE, new byte[] {0, 0, 0, 0}, "body"));
        cases.add(new Case("random binary", YAML_TYPE, randomBytes(4096), "body"));
        String items = "[" + "\"x\",".repeat(100_000) + "\"x\"]";
        json(cases, "100,001 items, over spec.max-items", validJson.replace("[\"a\",\"b\"]", items), "spec.fanout.items");
        String matrix = "{\"matrix\": {\"a\": " + range(400) + ", \"b\": " + range(400) + "}}";
        json(cases, "matrix of 160,000 combinations", validJson.replace("{\"items\":[\"a\",\"b\"]}", matrix),
                "spec.fanout.matrix");
        json(cases, "a 9 MB command", validJson.replace("echo ${item}", "x".repeat(9 << 20)), "spec.task.command");
        json(cases, "a 257 KiB command", validJson.replace("echo ${item}", "é".repeat(129 * 1024)), "spec.task.command");
        json(cases, "a 1 MB env value", validJson.replace("\"hi\"", "\"" + "x".repeat(1 << 20) + "\""),
                "spec.task.env.GREETING");
        json(cases, "an 11 MB body, over the body limit", validJson.replace("echo ${item}", "x".repeat(11 << 20)),
                "max-body-size");
        yaml(cases, "an 11 MB YAML body, over the body limit", valid + "\n# " + "x".repeat(11 << 20), "max-body-size");
    }

    private static String range(int n) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : ",").append(i);
        }
        return s.append("]").toString();
    }

    /** The billion laughs: each level a list of nine aliases of the level below. */
    private static String aliasBomb(int levels) {
        StringBuilder yaml = new StringBuilder("a0: &a0 [\"lol\"]\n");
        for (int i = 1; i <= levels; i++) {
            yaml.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 9; j++) {
                yaml.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            yaml.append("]\n");
        }
        return yaml.append("metadata: {name: bomb, labels: {x: *a").append(levels).append("}}\n").toString();
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new Random(42).nextBytes(bytes);
        return bytes;
    }

    private static void yaml(List<Case> cases, String name, String body, String names) {
        cases.add(new Case(name, YAML_TYPE, body.getBytes(StandardCharsets.UTF_8), names));
    }

    private static void json(List<Case> cases, String name, String body, String names) {
        cases.add(new Case(name, JSON_TYPE, body.getBytes(StandardCharsets.UTF_8), names));
    }

    private static String brief(JsonNode value) {
        String s = value.toString();
        return s.length() > 40 ? s.substring(0, 40) + "…(" + s.length() + ")" : s;
    }

    private static byte[] write(JsonNode spec, String type) {
        try {
            return (type.equals(JSON_TYPE) ? JSON : YAML).writeValueAsBytes(spec);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode node(ObjectNode root, String path) {
        JsonNode at = root;
        for (String key : path.split("\\.")) {
            at = at.get(key);
        }
        return at;
    }

    private static void set(ObjectNode root, String path, JsonNode value) {
        int dot = path.lastIndexOf('.');
        ObjectNode parent = dot < 0 ? root : (ObjectNode) node(root, path.substring(0, dot));
        parent.set(path.substring(dot + 1), value);
    }

    private static void remove(ObjectNode root, String path) {
        int dot = path.lastIndexOf('.');
        ObjectNode parent = dot < 0 ? root : (ObjectNode) node(root, path.substring(0, dot));
        parent.remove(path.substring(dot + 1));
    }

}
