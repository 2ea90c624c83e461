package io.drover.sandbox.process.network;

import io.drover.sandbox.NetworkPolicy;
import io.drover.sandbox.NetworkPolicy.Mode;
import java.util.List;
import java.util.Map;

/**
 * The nftables ruleset of a sandbox's network namespace, installed by root before anything runs
 * there. The namespace belongs to the host's user namespace and the sandbox's processes run in a
 * user namespace of their own with no capability, so they can neither read nor change it.
 *
 * <p>Order matters: the sandbox's own loopback (where the gateway is forwarded) first, then DNS to
 * the forwarder, then the host's own addresses, rejected whatever the policy; then the policy.
 * IPv6 is dropped entirely (the network is IPv4 only).
 */
final class Firewall {
    /** Never reachable unless an allowlist names them: private, shared, link-local, multicast, reserved. */
    static final List<String> NON_PUBLIC = List.of("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "169.254.0.0/16",
            "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/4", "240.0.0.0/4");

    private Firewall() {
    }

    /**
     * @param hostAddresses the host's own IPv4 addresses
     * @param allowed       for an allowlist: each endpoint's addresses (a CIDR network, or those its name resolved to)
     */
    static String rules(NetworkPolicy policy, List<String> hostAddresses, Map<NetworkPolicy.Endpoint, List<String>> allowed) {
        StringBuilder out = new StringBuilder();
        out.append("table ip drover {\n");
        out.append("  set host { type ipv4_addr; flags interval; auto-merge; elements = { 127.0.0.0/8");
        hostAddresses.forEach(a -> out.append(", ").append(a));
        out.append(" } }\n");
        out.append("  chain output {\n    type filter hook output priority 0; policy drop;\n");
        out.append("    oifname \"lo\" accept\n");
        if (policy.hasEgress()) {
            out.append("    ip daddr ").append(Pasta.GATEWAY).append(" udp dport 53 accept\n");
        }
        out.append("    ip daddr @host reject\n");
        if (policy.mode() == Mode.EGRESS) {
            out.append("    ip daddr { ").append(String.join(", ", NON_PUBLIC)).append(" } reject\n");
            out.append("    accept\n");
        } else if (policy.mode() == Mode.ALLOW) {
            allowed.forEach((endpoint, addresses) -> {
                if (!addresses.isEmpty()) {
                    out.append("    ip daddr { ").append(String.join(", ", addresses)).append(" } meta l4proto { tcp, udp }")
                            .append(" th dport ").append(endpoint.port()).append(" accept\n");
                }
            });
        }
        out.append("    reject\n  }\n");
        out.append("  chain input {\n    type filter hook input priority 0; policy drop;\n");
        out.append("    iifname \"lo\" accept\n    ct state established,related accept\n  }\n}\n");
        out.append("table ip6 drover {\n");
        out.append("  chain output {\n    type filter hook output priority 0; policy drop;\n    oifname \"lo\" accept\n  }\n");
        out.append("  chain input {\n    type filter hook input priority 0; policy drop;\n    iifname \"lo\" accept\n  }\n}\n");
        return out.toString();
    }
}
