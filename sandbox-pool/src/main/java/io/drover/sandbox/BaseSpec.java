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
 */
public record BaseSpec(String image, List<String> setup, Map<String, String> setupEnv, NetworkPolicy setupNetwork) {

    public BaseSpec {
        setup = List.copyOf(setup);
        setupEnv = Map.copyOf(setupEnv);
        setupNetwork = setupNetwork == null ? NetworkPolicy.EGRESS : setupNetwork;
    }

    /** Setup with egress, the default. */
    public BaseSpec(String image, List<String> setup, Map<String, String> setupEnv) {
        this(image, setup, setupEnv, NetworkPolicy.EGRESS);
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
