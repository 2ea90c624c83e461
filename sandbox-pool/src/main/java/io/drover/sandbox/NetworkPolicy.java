package io.drover.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a sandbox may reach over the network. Whatever the mode (but {@link Mode#HOST}), the
 * host's loopback and its own addresses stay out of reach, and so do link-local and private
 * ranges unless an allowlist names them; inbound connections from outside are refused.
 *
 * @param allow for {@link Mode#ALLOW} only: the endpoints that may be reached, nothing else
 */
public record NetworkPolicy(Mode mode, List<Endpoint> allow) {
    public static final NetworkPolicy NONE = new NetworkPolicy(Mode.NONE, List.of());
    public static final NetworkPolicy EGRESS = new NetworkPolicy(Mode.EGRESS, List.of());
    public static final NetworkPolicy HOST = new NetworkPolicy(Mode.HOST, List.of());

    /** The closed set of network modes. */
    public enum Mode {
        /** Loopback only (and the LLM gateway). */
        NONE,
        /** Outbound connections to public addresses, with DNS. */
        EGRESS,
        /** Outbound connections to the listed endpoints only, with DNS. */
        ALLOW,
        /** The host's own network, not isolated at all. */
        HOST
    }

    public NetworkPolicy {
        allow = List.copyOf(allow);
        if ((mode == Mode.ALLOW) == allow.isEmpty()) {
            throw new IllegalArgumentException(mode == Mode.ALLOW ? "an allowlist needs at least one host:port"
                    : "only the allow mode takes endpoints");
        }
    }

    /** An allowlist, from {@code host:port} texts; see {@link Endpoint#parse}. */
    public static NetworkPolicy allowing(List<String> endpoints) {
        List<Endpoint> parsed = new ArrayList<>();
        endpoints.forEach(e -> parsed.add(Endpoint.parse(e)));
        return new NetworkPolicy(Mode.ALLOW, parsed);
    }

    /** {@code none}, {@code egress} or {@code host}. */
    public static NetworkPolicy named(String name) {
        return switch (name) {
            case "none" -> NONE;
            case "egress" -> EGRESS;
            case "host" -> HOST;
            default -> throw new IllegalArgumentException("must be none, egress, host or {\"allow\": [\"host:port\", ...]}");
        };
    }

    /** A stable text for hashes and logs, e.g. {@code egress} or {@code allow:10.0.0.2:80,example.org:443}. */
    public String canonical() {
        if (mode != Mode.ALLOW) {
            return mode.name().toLowerCase(Locale.ROOT);
        }
        return "allow:" + String.join(",", allow.stream().map(Endpoint::toString).sorted().toList());
    }

    /** Whether the sandbox gets a network namespace of its own with outbound connections. */
    public boolean hasEgress() {
        return mode == Mode.EGRESS || mode == Mode.ALLOW;
    }

    /**
     * One allowed endpoint. {@code host} is an IPv4 address, an IPv4 network in CIDR notation, or
     * a DNS name, which the driver resolves when it creates the sandbox.
     */
    public record Endpoint(String host, int port) {
        private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(/\\d{1,2})?");
        private static final Pattern NAME = Pattern.compile(
                "(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

        public Endpoint {
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("port " + port + " must be between 1 and 65535");
            }
            if (host.matches("[0-9./]+") && !isAddress(host)) {
                throw new IllegalArgumentException("host " + host + " is not a valid IPv4 address or CIDR network");
            }
            if (!isAddress(host) && !NAME.matcher(host).matches()) {
                throw new IllegalArgumentException("host " + host + " must be an IPv4 address, an IPv4 CIDR network"
                        + " such as 10.0.0.0/24, or a DNS name such as registry.npmjs.org");
            }
        }

        /** Parses {@code host:port}, e.g. {@code registry.npmjs.org:443} or {@code 10.203.0.2:8080}. */
        public static Endpoint parse(String text) {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                throw new IllegalArgumentException("\"" + text + "\" must be host:port, e.g. registry.npmjs.org:443");
            }
            String host = text.substring(0, colon).toLowerCase(Locale.ROOT);
            if (host.contains("*")) {
                throw new IllegalArgumentException("\"" + text + "\": wildcard host names cannot be enforced by"
                        + " address; name each host, e.g. deb.debian.org:80");
            }
            if (host.contains(":") || host.startsWith("[")) {
                throw new IllegalArgumentException("\"" + text + "\": sandbox networking is IPv4 only");
            }
            String port = text.substring(colon + 1);
            if (!port.chars().allMatch(Character::isDigit) || port.length() > 5) {
                throw new IllegalArgumentException("\"" + text + "\": the port must be a number between 1 and 65535");
            }
            return new Endpoint(host, Integer.parseInt(port));
        }

        /** Whether {@code host} is an IPv4 address or network rather than a name. */
        public boolean isAddress() {
            return isAddress(host);
        }

        private static boolean isAddress(String host) {
            var m = IPV4.matcher(host);
            if (!m.matches()) {
                return false;
            }
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(m.group(i)) > 255) {
                    return false;
                }
            }
            return m.group(5) == null || Integer.parseInt(m.group(5).substring(1)) <= 32;
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }
}
