package io.drover.sandbox;

import io.drover.sandbox.secret.SecretRef;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a base snapshot is made of: the bottom image and the setup commands run on top of it.
 * Two specs with the same content share one base, whichever job or schedule asked for it.
 *
 * @param setupNetwork what the setup commands may reach; part of the hash unless it is the
 *                     default ({@link NetworkPolicy#EGRESS}), because a step that fails without the
 *                     network, or fetches from elsewhere, builds a different base
 * @param tenant       whose base it is; part of the hash unless it is {@link #DEFAULT_TENANT}, so
 *                     that bases are shared only within a tenant and one cannot poison another's
 * @param setupSecrets the tenant's secrets the setup commands are given, by name and as what; part
 *                     of the hash when there are any (their values never are)
 * @param setupSecretValues those secrets' values by name, read just before a build and set with
 *                     {@link #withSetupSecretValues}; never hashed, stored or printed
 */
public record BaseSpec(String image, List<String> setup, Map<String, String> setupEnv, NetworkPolicy setupNetwork,
        String tenant, List<SecretRef> setupSecrets, Map<String, String> setupSecretValues) {
    /** The tenant of rows made before tenants existed, and of the admin token unless configured. */
    public static final String DEFAULT_TENANT = "default";

    public BaseSpec {
        setup = List.copyOf(setup);
        setupEnv = Map.copyOf(setupEnv);
        setupNetwork = setupNetwork == null ? NetworkPolicy.EGRESS : setupNetwork;
        tenant = tenant == null ? DEFAULT_TENANT : tenant;
        setupSecrets = setupSecrets == null ? List.of() : List.copyOf(setupSecrets);
        setupSecretValues = setupSecretValues == null ? Map.of() : Map.copyOf(setupSecretValues);
    }

    /** Without setup secrets. */
    public BaseSpec(String image, List<String> setup, Map<String, String> setupEnv, NetworkPolicy setupNetwork,
            String tenant) {
        this(image, setup, setupEnv, setupNetwork, tenant, List.of(), Map.of());
    }

    /** The default tenant's. */
    public BaseSpec(String image, List<String> setup, Map<String, String> setupEnv, NetworkPolicy setupNetwork) {
        this(image, setup, setupEnv, setupNetwork, DEFAULT_TENANT);
    }

    /** Setup with egress, the default. */
    public BaseSpec(String image, List<String> setup, Map<String, String> setupEnv) {
        this(image, setup, setupEnv, NetworkPolicy.EGRESS);
    }

    /** The same base for {@code tenant}: a different hash unless it is the default tenant. */
    public BaseSpec forTenant(String tenant) {
        return new BaseSpec(image, setup, setupEnv, setupNetwork, tenant, setupSecrets, setupSecretValues);
    }

    /** The same base with its setup secrets' values, for the build that needs them. */
    public BaseSpec withSetupSecretValues(Map<String, String> values) {
        return new BaseSpec(image, setup, setupEnv, setupNetwork, tenant, setupSecrets, values);
    }

    /** Names the setup secrets' values, never shows them. */
    @Override
    public String toString() {
        return "BaseSpec[image=" + image + ", setup=" + setup + ", setupEnv=" + setupEnv + ", setupNetwork="
                + setupNetwork.canonical() + ", tenant=" + tenant + ", setupSecrets=" + setupSecrets + "]";
    }

    public static BaseSpec of(String image) {
        return new BaseSpec(image, List.of(), Map.of());
    }

    /** A content hash: length-prefixed fields, env in key order, so no two specs collide by concatenation. */
    public String hash() {
        StringBuilder canonical = new StringBuilder("drover-base/v1\n");
        field(canonical, image);
        canonical.append(setup.size()).append('\n');
        setup.forEach(step -> field(canonical, step));
        new TreeMap<>(setupEnv).forEach((k, v) -> {
            field(canonical, k);
            field(canonical, v);
        });
        if (!setupNetwork.equals(NetworkPolicy.EGRESS)) {
            // Only when set: the default keeps the hashes bases had before setup had a network policy.
            canonical.append("network\n");
            field(canonical, setupNetwork.canonical());
        }
        if (!tenant.equals(DEFAULT_TENANT)) {
            // Likewise: the default tenant's bases keep the hashes they had before tenants.
            canonical.append("tenant\n");
            field(canonical, tenant);
        }
        if (!setupSecrets.isEmpty()) {
            // What each is given as, so that another variable or file builds another base; never a value.
            canonical.append("secrets\n").append(setupSecrets.size()).append('\n');
            for (SecretRef ref : setupSecrets) {
                field(canonical, ref.name());
                field(canonical, ref.env() != null ? "env" : "file");
                field(canonical, ref.env() != null ? ref.env() : ref.file());
            }
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static void field(StringBuilder out, String value) {
        out.append(value.length()).append(':').append(value).append('\n');
    }
}
