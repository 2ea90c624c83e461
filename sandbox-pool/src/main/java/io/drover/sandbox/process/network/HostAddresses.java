package io.drover.sandbox.process.network;

import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

/**
 * The host's own IPv4 addresses, read when a sandbox is created. A sandbox's outbound connections
 * leave from the host's network namespace, so a connection to one of these would reach a service
 * listening on the host (Drover's HTTP port, PostgreSQL): the sandbox's firewall rejects them.
 */
final class HostAddresses {
    private HostAddresses() {
    }

    /** Dotted quads, loopback excluded (the whole 127.0.0.0/8 is rejected anyway). */
    static List<String> ipv4() {
        TreeSet<String> addresses = new TreeSet<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InterfaceAddress address : nic.getInterfaceAddresses()) {
                    if (address.getAddress() instanceof Inet4Address v4 && !v4.isLoopbackAddress()) {
                        addresses.add(v4.getHostAddress());
                    }
                }
            }
        } catch (SocketException e) {
            throw new IllegalStateException("cannot list the host's network addresses: " + e.getMessage(), e);
        }
        return List.copyOf(addresses);
    }
}
