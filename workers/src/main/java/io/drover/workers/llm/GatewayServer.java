package io.drover.workers.llm;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's own HTTP listener, apart from Drover's API, so that whoever may reach it (a
 * sandbox's forwarded port) reaches nothing else. JDK's HTTP server: no framework in the core, and
 * a streamed answer is written and flushed chunk by chunk from a plain thread. At most
 * {@code threads} calls are served at once; more wait in line.
 */
public final class GatewayServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

    /** The JDK server's switch for TCP_NODELAY, read once per JVM when its first server starts. */
    static final String NO_DELAY = "sun.net.httpserver.nodelay";

    private final HttpServer server;
    private final ExecutorService executor;

    private GatewayServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Binds {@code address} (port 0: any free port) and serves {@code handler} under {@code /llm/}. */
    public static GatewayServer start(InetSocketAddress address, int threads, HttpHandler handler) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        // Without it, a response's headers and body in separate writes wait out the peer's delayed ACK
        // (about 40 ms a call on Linux): the gateway would add that to every call it relays.
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
        HttpServer server;
        try {
            server = HttpServer.create(address, 64);
        } catch (IOException e) {
            throw new UncheckedIOException("the LLM gateway could not listen on " + address.getHostString() + ":"
                    + address.getPort() + " (" + e.getMessage() + "); set drover.llm.gateway.port to a free port", e);
        }
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "llm-gateway-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
        server.setExecutor(executor);
        server.createContext("/", handler);
        server.start();
        GatewayServer started = new GatewayServer(server, executor);
        LOG.info("LLM gateway listening on {}", started.url());
        return started;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** The base URL OpenAI clients take, e.g. {@code http://127.0.0.1:4141/llm/v1}. */
    public String url() {
        InetSocketAddress a = address();
        String host = a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + a.getPort() + "/llm/v1";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
