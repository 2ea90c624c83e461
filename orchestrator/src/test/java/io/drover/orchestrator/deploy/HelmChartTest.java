package io.drover.orchestrator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** helm/drover lints and renders, with several sets of values, into objects the Kubernetes API accepts. */
class HelmChartTest {
    private static final String JDBC_URL = "jdbc:postgresql://postgres.db.svc:5432/drover";

    @TempDir
    Path temp;

    @Test
    void the_chart_lints_strictly_with_each_set_of_values() {
        for (Map<String, Object> values : List.of(Map.<String, Object>of(), statefulSetInThePod(), cloudNativePg())) {
            LintResult result = Chart.lint(values, temp.resolve("lint-" + values.hashCode()));
            assertThat(result.isFailed()).as("%s: %s", values, result.getMessages()).isFalse();
        }
    }

    @Test
    void the_api_runs_unprivileged_read_only_with_the_scheduler_and_its_own_database_secret() {
        Manifests m = Chart.render(Chart.external(JDBC_URL));

        Deployment api = m.one(Deployment.class, "drover-api");
        assertThat(api.getSpec().getReplicas()).isEqualTo(2);
        PodSpec pod = api.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(c.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(pod.getHostPID()).isNull();
        assertThat(c.getVolumeMounts()).extracting(v -> v.getMountPath()).containsExactly("/tmp", "/var/lib/drover");
        assertThat(pod.getVolumes()).allMatch(v -> v.getEmptyDir() != null);
        assertThat(env(c, "DROVER_ROLES").getValue()).isEqualTo("api,scheduler");
        assertThat(env(c, "DROVER_HOST").getValue()).isEqualTo("0.0.0.0");
        assertThat(env(c, "POD_IP").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIP");
        assertThat(env(c, "DROVER_CLUSTER_ADDRESS").getValue()).isEqualTo("http://$(POD_IP):$(DROVER_PORT)");
        assertThat(env(c, "DROVER_EMBEDDED_POSTGRES_ENABLED").getValue()).isEqualTo("false");
        assertThat(env(c, "QUARKUS_DATASOURCE_JDBC_URL").getValue()).isEqualTo(JDBC_URL);
        assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");

        var password = env(c, "QUARKUS_DATASOURCE_PASSWORD").getValueFrom().getSecretKeyRef();
        Secret db = m.one(Secret.class, password.getName());
        assertThat(new String(Base64.getDecoder().decode(db.getData().get(password.getKey())), StandardCharsets.UTF_8))
                .isEqualTo("s3cret");
        assertThat(m.has("StatefulSet")).isFalse();
        assertThat(m.has("ServiceMonitor")).isFalse();
        assertThat(m.has("Cluster")).isFalse();
        assertThat(m.all(PodDisruptionBudget.class)).hasSize(2);
    }

    @Test
    void workers_on_the_node_cgroup_tree_get_the_listed_capabilities_tun_cgroups_and_the_nodes_pids() {
        Manifests m = Chart.render(Chart.external(JDBC_URL));

        DaemonSet workers = m.one(DaemonSet.class, "drover-worker");
        PodSpec pod = workers.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        assertThat(pod.getNodeSelector()).containsEntry("drover.io/sandboxes", "true");
        assertThat(pod.getHostPID()).isTrue();
        var security = c.getSecurityContext();
        assertThat(security.getPrivileged()).isNull();
        assertThat(security.getRunAsUser()).isZero();
        assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(security.getCapabilities().getAdd()).containsExactly("SYS_ADMIN", "NET_ADMIN", "SETUID", "SETGID",
                "CHOWN", "FOWNER", "DAC_OVERRIDE", "KILL");
        assertThat(security.getSeccompProfile().getType()).isEqualTo("Unconfined");
        assertThat(security.getAppArmorProfile().getType()).isEqualTo("Unconfined");
        assertThat(security.getProcMount()).isEqualTo("Unmasked");
        assertThat(volume(pod, "tun").getHostPath().getType()).isEqualTo("CharDevice");
        assertThat(volume(pod, "cgroup").getHostPath().getPath()).isEqualTo("/sys/fs/cgroup");
        assertThat(volume(pod, "data").getEmptyDir()).isNotNull();
        assertThat(env(c, "DROVER_ROLES").getValue()).isEqualTo("worker");
        assertThat(env(c, "DROVER_SNAPSHOTS_PEER_TOKEN").getValueFrom().getSecretKeyRef().getName())
                .isEqualTo("drover-peer");
        assertThat(env(c, "JAVA_OPTS").getValue()).isEqualTo("-Xmx768m -XX:-UseContainerSupport");
        assertThat(c.getResources().getLimits().get("memory").toString()).isEqualTo("6Gi");
        assertThat(m.one(io.fabric8.kubernetes.api.model.ConfigMap.class, "drover").getData())
                .containsEntry("DROVER_POOL_MAX_SANDBOXES", "8").containsEntry("DROVER_POOL_SANDBOX_MEMORY_MB", "512")
                .containsEntry("DROVER_WORKER_CAPACITY", "8").containsEntry("DROVER_POOL_SANDBOX_DISK_MB", "10240")
                .as("an unprivileged container gets no loop devices").containsEntry("DROVER_POOL_DISK_LIMIT", "none");
    }

    @Test
    void a_stateful_set_in_the_pods_cgroup_runs_privileged_with_a_directory_per_pod_and_the_scheduler_apart() {
        Manifests m = Chart.render(statefulSetInThePod());

        StatefulSet workers = m.one(StatefulSet.class, "drover-worker");
        assertThat(workers.getSpec().getReplicas()).isEqualTo(3);
        assertThat(workers.getSpec().getServiceName()).isEqualTo("drover-worker");
        PodSpec pod = workers.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        assertThat(c.getSecurityContext().getPrivileged()).isTrue();
        assertThat(env(c, "DROVER_ADMIN_TOKEN").getValueFrom().getSecretKeyRef().getName()).isEqualTo("own-admin");
        assertThat(env(c, "DROVER_SECRETS_KEY").getValueFrom().getSecretKeyRef().getName())
                .isEqualTo("own-secrets-key");
        assertThat(pod.getHostPID()).isNull();
        assertThat(pod.getVolumes()).extracting(Volume::getName).containsExactly("data");
        assertThat(c.getVolumeMounts().get(0).getSubPathExpr()).isEqualTo("$(POD_NAME)");
        assertThat(volume(pod, "data").getHostPath().getPath()).isEqualTo("/var/lib/drover");
        assertThat(m.one(io.fabric8.kubernetes.api.model.ConfigMap.class, "drover").getData())
                .as("a privileged container sees the node's loop devices").containsEntry("DROVER_POOL_DISK_LIMIT", "loop");

        Container scheduler = m.one(Deployment.class, "drover-scheduler").getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        assertThat(env(scheduler, "DROVER_ROLES").getValue()).isEqualTo("scheduler");
        Container api = m.one(Deployment.class, "drover-api").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(env(api, "DROVER_ROLES").getValue()).isEqualTo("api");
        assertThat(env(api, "QUARKUS_DATASOURCE_PASSWORD").getValueFrom().getSecretKeyRef().getName()).isEqualTo("pg");
        assertThat(env(api, "DROVER_LLM_UPSTREAM_API_KEY").getValueFrom().getSecretKeyRef().getName())
                .isEqualTo("drover-llm");
        assertThat(m.all(Secret.class)).extracting(s -> s.getMetadata().getName()).containsExactly("drover-llm", "drover-peer");
        assertThat(m.custom("ServiceMonitor").getAdditionalProperties().toString()).contains("path=/q/metrics");
        assertThat(m.all(NetworkPolicy.class)).extracting(p -> p.getMetadata().getName())
                .containsExactly("drover-api", "drover-scheduler", "drover-worker");
    }

    @Test
    void the_api_takes_no_traffic_from_workers_and_workers_take_only_the_api_s_and_each_other_s() {
        Manifests m = Chart.render(Chart.external(JDBC_URL));

        NetworkPolicy api = m.one(NetworkPolicy.class, "drover-api");
        NetworkPolicyPeer fromPods = api.getSpec().getIngress().get(0).getFrom().get(0);
        var notWorkers = fromPods.getPodSelector().getMatchExpressions().get(0);
        assertThat(notWorkers.getKey()).isEqualTo("app.kubernetes.io/component");
        assertThat(notWorkers.getOperator()).isEqualTo("NotIn");
        assertThat(notWorkers.getValues()).containsExactly("worker");
        NetworkPolicyPeer otherNamespaces = api.getSpec().getIngress().get(0).getFrom().get(1);
        assertThat(otherNamespaces.getNamespaceSelector().getMatchExpressions().get(0).getValues())
                .containsExactly(Chart.NAMESPACE);

        NetworkPolicy workers = m.one(NetworkPolicy.class, "drover-worker");
        assertThat(workers.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
        assertThat(workers.getSpec().getIngress()).hasSize(1);
        var from = workers.getSpec().getIngress().get(0).getFrom();
        assertThat(from).extracting(peer -> peer.getPodSelector().getMatchLabels().get("app.kubernetes.io/component"))
                .containsExactly("api", "worker");
        assertThat(workers.getSpec().getIngress().get(0).getPorts().get(0).getPort().getIntVal()).isEqualTo(8080);
        assertThat(workers.getSpec().getEgress()).hasSize(4);
        assertThat(workers.getSpec().getEgress().get(1).getPorts().get(0).getPort().getIntVal()).isEqualTo(5432);
        assertThat(workers.getSpec().getEgress().get(2).getTo().get(0).getPodSelector().getMatchLabels()
                .get("app.kubernetes.io/component")).isEqualTo("worker");
        assertThat(workers.getSpec().getEgress().get(3).getTo().get(0).getIpBlock().getExcept()).contains("10.0.0.0/8");
        assertThat(api.getSpec().getEgress()).filteredOn(rule -> rule.getTo().get(0).getPodSelector() != null)
                .extracting(rule -> rule.getTo().get(0).getPodSelector().getMatchLabels().get("app.kubernetes.io/component"))
                .as("the api forwards to workers").containsExactly("worker");
    }

    @Test
    void a_cloudnativepg_cluster_supplies_the_url_and_the_secret_and_takes_connections_from_drover_only() {
        Manifests m = Chart.render(cloudNativePg());

        var cluster = m.custom("Cluster");
        assertThat(cluster.getMetadata().getName()).isEqualTo("drover-db");
        assertThat(cluster.getAdditionalProperties().toString()).contains("instances=3", "database=drover");
        Container api = m.one(Deployment.class, "drover-api").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(env(api, "QUARKUS_DATASOURCE_JDBC_URL").getValue())
                .isEqualTo("jdbc:postgresql://drover-db-rw:5432/drover");
        assertThat(env(api, "QUARKUS_DATASOURCE_PASSWORD").getValueFrom().getSecretKeyRef().getName())
                .isEqualTo("drover-db-app");
        assertThat(m.all(Secret.class)).extracting(s -> s.getMetadata().getName()).containsExactly("drover-peer", "drover-admin",
                "drover-secrets-key");
        Secret key = m.one(Secret.class, "drover-secrets-key");
        assertThat(new String(Base64.getDecoder().decode(key.getData().get("key")), StandardCharsets.UTF_8))
                .isEqualTo(Chart.SECRETS_KEY);
        assertThat(Base64.getDecoder().decode(Chart.SECRETS_KEY)).hasSize(32);
        assertThat(env(api, "DROVER_SECRETS_KEY").getValueFrom().getSecretKeyRef().getName())
                .isEqualTo("drover-secrets-key");
        NetworkPolicy db = m.one(NetworkPolicy.class, "drover-db");
        assertThat(db.getSpec().getPodSelector().getMatchLabels()).containsEntry("cnpg.io/cluster", "drover-db");
        NetworkPolicy workers = m.one(NetworkPolicy.class, "drover-worker");
        assertThat(workers.getSpec().getEgress().get(1).getTo().get(0).getPodSelector().getMatchLabels())
                .containsEntry("cnpg.io/cluster", "drover-db");
    }

    @Test
    void a_release_without_a_database_or_its_password_is_refused() {
        assertThatThrownBy(() -> Chart.template(Map.of("database.password", "x")).call())
                .hasMessageContaining("database.url is required");
        assertThatThrownBy(() -> Chart.template(Map.of("database.url", JDBC_URL)).call())
                .hasMessageContaining("database.existingSecret");
        assertThatThrownBy(() -> Chart.template(Map.of("database.url", JDBC_URL, "database.password", "x")).call())
                .hasMessageContaining("auth.existingSecret (a Secret holding the admin token) or auth.adminToken");
        assertThatThrownBy(() -> Chart.template(Map.of("database.url", JDBC_URL, "database.password", "x",
                "auth.adminToken", "chart-admin-token-0123456789")).call())
                .hasMessageContaining("secrets.existingSecret (a Secret holding the secrets key) or secrets.key");
    }

    @Test
    void the_schema_names_an_unknown_value_a_wrong_type_and_a_non_postgresql_url() {
        Map<String, Object> unknown = new LinkedHashMap<>(Chart.external(JDBC_URL));
        unknown.put("worker.privileged", true);
        assertThatThrownBy(() -> Chart.template(unknown).call()).hasMessageContaining("privileged");

        Map<String, Object> wrongType = new LinkedHashMap<>(Chart.external(JDBC_URL));
        wrongType.put("api.replicas", "two");
        assertThatThrownBy(() -> Chart.template(wrongType).call()).hasMessageContaining("replicas");

        Map<String, Object> mysql = new LinkedHashMap<>(Chart.external(JDBC_URL));
        mysql.put("database.url", "jdbc:mysql://db/drover");
        assertThatThrownBy(() -> Chart.template(mysql).call()).hasMessageContaining("database.url");
    }

    @Test
    void a_manifest_with_a_field_kubernetes_does_not_know_or_a_value_of_the_wrong_type_is_not_read() {
        String deployment = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  replicas: %s
                  template:
                    spec:
                      containers: [{name: c, image: i, %s}]
                """;
        assertThat(Manifests.parse(deployment.formatted("1", "imagePullPolicy: Never")).all()).hasSize(1);
        assertThatThrownBy(() -> Manifests.parse(deployment.formatted("1", "imagePulPolicy: Never")))
                .hasMessageContaining("imagePulPolicy");
        assertThatThrownBy(() -> Manifests.parse(deployment.formatted("\"2\"", "imagePullPolicy: Never")))
                .hasMessageContaining("replicas");
    }

    static Map<String, Object> statefulSetInThePod() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("database.url", JDBC_URL);
        values.put("database.existingSecret", "pg");
        values.put("auth.existingSecret", "own-admin");
        values.put("secrets.existingSecret", "own-secrets-key");
        values.put("worker.kind", "StatefulSet");
        values.put("worker.replicas", 3);
        values.put("worker.cgroups", "pod");
        values.put("worker.dataDir.type", "hostPath");
        values.put("scheduler.placement", "own");
        values.put("serviceMonitor.enabled", true);
        values.put("llm.apiKey", "sk-test");
        return values;
    }

    static Map<String, Object> cloudNativePg() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("database.cloudnativepg.enabled", true);
        values.put("database.cloudnativepg.instances", 3);
        values.put("auth.adminToken", "chart-admin-token-0123456789");
        values.put("secrets.key", Chart.SECRETS_KEY);
        return values;
    }

    static EnvVar env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in the env of " + container.getName()));
    }

    private static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }
}
