package io.drover.sandbox;

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
 */
public record BaseSpec(String image, List<String> setup, Map<String, String> setupEnv, NetworkPolicy setupNetwork,
        String tenant) {
    /** The tenant of rows made before tenants existed, and of the admin token unless configured. */
    public static final String DEFAULT_TENANT = "default";

    public BaseSpec {
        setup = List.copyOf(setup);
        setupEnv = Map.copyOf(setupEnv);
        setupNetwork = setupNetwork == null ? NetworkPolicy.EGRESS : setupNetwork;
        tenant = tenant == null ? DEFAULT_TENANT : tenant;
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
        return new BaseSpec(image, setup, setupEnv, setupNetwork, tenant);
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
