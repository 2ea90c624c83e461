package io.drover.sandbox.containment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real TCP listeners on the host standing in for Drover's API port, PostgreSQL's port and the LLM
 * gateway's host port, on 127.0.0.1 and on the host's first non-loopback IPv4 address. Each counts
 * the connections it accepted: that count, not what the sandbox printed, says what was reached.
 */
final class HostListeners implements AutoCloseable {
    /** One listener: which service it stands for, where it listens, how many connected. */
    record Listener(String service, String host, ServerSocket socket, AtomicInteger accepted) {
        int port() {
            return socket.getLocalPort();
        }

        String endpoint() {
            return host + ":" + port();
        }
    }

    static final List<String> SERVICES = List.of("api", "postgresql", "llm-gateway");

    private final List<Listener> listeners = new ArrayList<>();
    private final List<Thread> acceptors = new ArrayList<>();

    HostListeners() {
        List<String> hosts = new ArrayList<>(List.of("127.0.0.1"));
        primaryAddress().ifPresent(hosts::add);
        try {
            for (String host : hosts) {
                for (String service : SERVICES) {
                    ServerSocket socket = new ServerSocket();
                    socket.bind(new InetSocketAddress(host, 0), 16);
                    Listener listener = new Listener(service, host, socket, new AtomicInteger());
                    listeners.add(listener);
                    Thread acceptor = new Thread(() -> accept(listener), "stand-in-" + service + "-" + host);
                    acceptor.setDaemon(true);
                    acceptor.start();
                    acceptors.add(acceptor);
                }
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        }
    }

    private static void accept(Listener listener) {
        while (!listener.socket().isClosed()) {
            try (Socket ignored = listener.socket().accept()) {
                listener.accepted().incrementAndGet();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    List<Listener> all() {
        return List.copyOf(listeners);
    }

    /** The loopback listener of the gateway: where the process driver's gateway forward leads. */
    Listener gateway() {
        return listeners.stream().filter(l -> l.service().equals("llm-gateway") && l.host().equals("127.0.0.1"))
                .findFirst().orElseThrow();
    }

    /** Accepted connections per endpoint, for assertion messages and the table. */
    Map<String, Integer> counts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        listeners.forEach(l -> counts.put(l.service() + "@" + l.endpoint(), l.accepted().get()));
        return counts;
    }

    static java.util.Optional<String> primaryAddress() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                // dvt*: stand-in links other tests create and remove
                if (nic.isUp() && !nic.isLoopback() && !nic.getName().startsWith("dvt")) {
                    for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                        if (address instanceof Inet4Address) {
                            return java.util.Optional.of(address.getHostAddress());
                        }
                    }
                }
            }
            return java.util.Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (Listener listener : listeners) {
            try {
                listener.socket().close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        for (Thread acceptor : acceptors) {
            try {
                acceptor.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
