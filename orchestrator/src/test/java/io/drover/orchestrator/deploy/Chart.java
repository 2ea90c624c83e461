package io.drover.orchestrator.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** helm/drover through helm-java: rendered, or linted, with a set of values ({@code --set} paths). */
final class Chart {
    static final String RELEASE = "drover";
    static final String NAMESPACE = "batch";
    static final String SECRETS_KEY = "c2VjcmV0cyBrZXkgb2YgdGhlIGNoYXJ0IHRlc3RzISE=";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Chart() {
    }

    /** An external database with a password the chart keeps in a Secret: the least a release needs. */
    static Map<String, Object> external(String jdbcUrl) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("database.url", jdbcUrl);
        values.put("database.password", "s3cret");
        values.put("auth.adminToken", "chart-admin-token-0123456789");
        values.put("secrets.key", SECRETS_KEY);
        return values;
    }

    static Manifests render(Map<String, Object> values) {
        return Manifests.parse(template(values).call());
    }

    static TemplateCommand template(Map<String, Object> values) {
        TemplateCommand command = new Helm(dir()).template().withName(RELEASE).withNamespace(NAMESPACE);
        values.forEach(command::set);
        return command;
    }

    /** helm lint --strict of a copy of the chart whose values.yaml has these values set. */
    static LintResult lint(Map<String, Object> values, Path temp) {
        try {
            Path copy = temp.resolve("drover");
            try (Stream<Path> files = Files.walk(dir())) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Path target = copy.resolve(dir().relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(file, target);
                    }
                }
            }
            ObjectNode defaults = (ObjectNode) YAML.readTree(dir().resolve("values.yaml").toFile());
            values.forEach((path, value) -> put(defaults, path, value));
            YAML.writeValue(copy.resolve("values.yaml").toFile(), defaults);
            return new Helm(copy).lint().strict().call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void put(ObjectNode root, String path, Object value) {
        String[] keys = path.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < keys.length - 1; i++) {
            JsonNode child = node.get(keys[i]);
            node = child instanceof ObjectNode o ? o : node.putObject(keys[i]);
        }
        node.set(keys[keys.length - 1], YAML.valueToTree(value));
    }

    /** Tests run in orchestrator/; the chart lives at the project root. */
    static Path dir() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path chart = dir.resolve("helm/drover");
            if (Files.isRegularFile(chart.resolve("Chart.yaml"))) {
                return chart;
            }
        }
        throw new IllegalStateException("helm/drover/Chart.yaml not found above " + Path.of("").toAbsolutePath());
    }
}
