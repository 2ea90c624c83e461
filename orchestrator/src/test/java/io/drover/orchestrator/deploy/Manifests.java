package io.drover.orchestrator.deploy;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A rendered chart read into fabric8's typed Kubernetes objects, strictly: a field the Kubernetes
 * API does not know, or a value of the wrong type, fails the read. fabric8's classes would
 * otherwise keep unknown fields in their additionalProperties and coerce "3" into 3.
 */
final class Manifests {
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.ofEntries(
            Map.entry("v1/ConfigMap", ConfigMap.class), Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class), Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("apps/v1/Deployment", Deployment.class), Map.entry("apps/v1/DaemonSet", DaemonSet.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            // Custom resources, whose schemas fabric8's model does not hold: read as generic objects.
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", GenericKubernetesResource.class),
            Map.entry("postgresql.cnpg.io/v1/Cluster", GenericKubernetesResource.class));

    static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .addModule(new SimpleModule().setDeserializerModifier(new NoCatchAll()))
            .build();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final List<HasMetadata> objects;

    private Manifests(List<HasMetadata> objects) {
        this.objects = List.copyOf(objects);
    }

    static Manifests parse(String rendered) {
        List<HasMetadata> objects = new ArrayList<>();
        try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(rendered)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc == null || doc.isNull() || doc.isEmpty()) {
                    continue;
                }
                String kind = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
                Class<? extends HasMetadata> type = KINDS.get(kind);
                if (type == null) {
                    throw new AssertionError("the chart rendered " + kind + ", which this test does not know");
                }
                try {
                    objects.add(STRICT.treeToValue(doc, type));
                } catch (IOException e) {
                    throw new AssertionError(kind + " " + doc.at("/metadata/name").asText() + " is not a valid "
                            + type.getSimpleName() + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the rendered chart is not YAML", e);
        }
        return new Manifests(objects);
    }

    List<HasMetadata> all() {
        return objects;
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name + " rendered; "
                        + "rendered: " + objects.stream().map(o -> o.getKind() + " " + o.getMetadata().getName()).toList()));
    }

    GenericKubernetesResource custom(String kind) {
        return all(GenericKubernetesResource.class).stream().filter(o -> o.getKind().equals(kind)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " rendered"));
    }

    boolean has(String kind) {
        return objects.stream().anyMatch(o -> o.getKind().equals(kind));
    }

    /** Drops the catch-all setter of fabric8's typed classes, so that unknown fields reach FAIL_ON_UNKNOWN_PROPERTIES. */
    private static final class NoCatchAll extends BeanDeserializerModifier {
        @Override
        public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription bean,
                BeanDeserializerBuilder builder) {
            Class<?> type = bean.getBeanClass();
            if (type.getName().startsWith("io.fabric8.") && type != GenericKubernetesResource.class) {
                builder.setAnySetter(null);
            }
            return builder;
        }
    }
}
