package io.drover.orchestrator.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A rendered pod spec as a {@code docker run}: its image, command, environment (ConfigMaps and
 * Secrets of the same release resolved), user, capabilities, seccomp, AppArmor, procMount,
 * read-only root, memory limit, host PID namespace and volumes, as a kubelet would set them up.
 * What differs, on purpose: the host's network (every test connection stays on loopback), so each
 * container gets its own ports through {@code overrides}; emptyDir and DirectoryOrCreate hostPath
 * volumes are fresh directories under {@code scratch}; a hostPath of an existing node path
 * (/sys/fs/cgroup, /dev/net/tun) is bound as it is. Like a pod on a cgroup v2 node, each container
 * has a cgroup namespace of its own.
 */
final class PodRun {
    private PodRun() {
    }

    static List<String> args(String name, PodSpec pod, Manifests release, Map<String, String> overrides, Path scratch)
            throws IOException {
        Container c = pod.getContainers().get(0);
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", name, "--network", "host",
                "--cgroupns", "private"));
        if (Boolean.TRUE.equals(pod.getHostPID())) {
            args.addAll(List.of("--pid", "host"));
        }
        security(pod, c.getSecurityContext(), args);
        Optional.ofNullable(c.getResources()).map(r -> r.getLimits()).map(l -> l.get("memory"))
                .ifPresent(q -> args.addAll(List.of("--memory", Quantity.getAmountInBytes(q).toBigInteger().toString())));
        long owner = Optional.ofNullable(c.getSecurityContext()).map(SecurityContext::getRunAsUser)
                .or(() -> Optional.ofNullable(pod.getSecurityContext()).map(s -> s.getRunAsUser())).orElse(0L);
        for (VolumeMount mount : c.getVolumeMounts()) {
            args.addAll(List.of("-v", volume(pod, mount, scratch.resolve(name), owner) + ":" + mount.getMountPath()));
        }
        env(c, name, release, overrides).forEach((k, v) -> args.addAll(List.of("-e", k + "=" + v)));
        if (c.getCommand() != null && !c.getCommand().isEmpty()) {
            args.addAll(List.of("--entrypoint", c.getCommand().get(0)));
        }
        args.add(c.getImage());
        if (c.getCommand() != null && c.getCommand().size() > 1) {
            args.addAll(c.getCommand().subList(1, c.getCommand().size()));
        }
        if (c.getArgs() != null) {
            args.addAll(c.getArgs());
        }
        return args;
    }

    private static void security(PodSpec pod, SecurityContext s, List<String> args) {
        Long user = Optional.ofNullable(s).map(SecurityContext::getRunAsUser)
                .or(() -> Optional.ofNullable(pod.getSecurityContext()).map(p -> p.getRunAsUser())).orElse(null);
        if (user != null) {
            args.addAll(List.of("--user", Long.toString(user)));
        }
        if (s == null) {
            return;
        }
        if (Boolean.TRUE.equals(s.getPrivileged())) {
            args.add("--privileged");
        }
        if (s.getCapabilities() != null) {
            Optional.ofNullable(s.getCapabilities().getDrop()).orElse(List.of()).forEach(cap -> args.addAll(List.of("--cap-drop", cap)));
            Optional.ofNullable(s.getCapabilities().getAdd()).orElse(List.of()).forEach(cap -> args.addAll(List.of("--cap-add", cap)));
        }
        if (Boolean.TRUE.equals(s.getReadOnlyRootFilesystem())) {
            args.add("--read-only");
        }
        if (Boolean.FALSE.equals(s.getAllowPrivilegeEscalation())) {
            args.addAll(List.of("--security-opt", "no-new-privileges"));
        }
        if (s.getSeccompProfile() != null && "Unconfined".equals(s.getSeccompProfile().getType())) {
            args.addAll(List.of("--security-opt", "seccomp=unconfined"));
        }
        if (s.getAppArmorProfile() != null && "Unconfined".equals(s.getAppArmorProfile().getType())) {
            args.addAll(List.of("--security-opt", "apparmor=unconfined"));
        }
        if ("Unmasked".equals(s.getProcMount())) {
            args.addAll(List.of("--security-opt", "systempaths=unconfined"));
        }
    }

    private static String volume(PodSpec pod, VolumeMount mount, Path scratch, long owner) throws IOException {
        Volume v = pod.getVolumes().stream().filter(x -> x.getName().equals(mount.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("volumeMount " + mount.getName() + " has no volume"));
        if (v.getHostPath() != null && !"DirectoryOrCreate".equals(v.getHostPath().getType())) {
            Path node = Path.of(v.getHostPath().getPath());
            if (!Files.exists(node)) {
                throw new AssertionError("hostPath " + node + " (" + v.getHostPath().getType() + ") is not on this machine");
            }
            return node.toString();
        }
        if (v.getHostPath() == null && v.getEmptyDir() == null) {
            throw new AssertionError("volume " + v.getName() + " is neither emptyDir nor hostPath");
        }
        Path dir = Files.createDirectories(scratch.resolve(v.getName()));
        Files.setAttribute(dir, "unix:uid", (int) owner);
        return dir.toString();
    }

    private static Map<String, String> env(Container c, String podName, Manifests release, Map<String, String> overrides) {
        Map<String, String> env = new LinkedHashMap<>();
        Optional.ofNullable(c.getEnvFrom()).orElse(List.of()).forEach(from ->
                env.putAll(release.one(ConfigMap.class, from.getConfigMapRef().getName()).getData()));
        for (EnvVar e : c.getEnv()) {
            if (e.getValueFrom() == null) {
                env.put(e.getName(), e.getValue());
            } else if (e.getValueFrom().getSecretKeyRef() != null) {
                var ref = e.getValueFrom().getSecretKeyRef();
                String encoded = release.one(Secret.class, ref.getName()).getData().get(ref.getKey());
                env.put(e.getName(), new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8));
            } else if ("metadata.name".equals(e.getValueFrom().getFieldRef().getFieldPath())) {
                env.put(e.getName(), podName);
            } else if ("status.podIP".equals(e.getValueFrom().getFieldRef().getFieldPath())) {
                env.put(e.getName(), "127.0.0.1"); // host networking on loopback: the pod's address is the host's
            } else {
                throw new AssertionError("env " + e.getName() + " comes from " + e.getValueFrom() + ", unknown to this test");
            }
        }
        env.putAll(overrides);
        // $(NAME) refers to a variable set before it, as Kubernetes expands it.
        env.replaceAll((name, value) -> {
            String expanded = value;
            for (Map.Entry<String, String> other : env.entrySet()) {
                expanded = expanded.replace("$(" + other.getKey() + ")", other.getValue());
            }
            return expanded;
        });
        return env;
    }
}
