package io.drover.workers.snapshot;

import io.drover.persistence.snapshot.PeerCopies;
import io.drover.persistence.snapshot.PeerCopy;
import io.drover.sandbox.BaseLayers;
import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.SandboxException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets a base's layer from a peer node instead of running its setup: from each live node with a
 * READY copy in turn (in random order, to spread the load), over {@link BaseLayerServer}'s
 * endpoint, installed only if its tree hashes to the content hash its builder recorded. Any
 * failure moves to the next peer; when none is left the caller builds.
 */
public final class PeerFetch {
    private static final Logger LOG = LoggerFactory.getLogger(PeerFetch.class);
    /** The path a worker serves its READY bases under; the hash follows. */
    public static final String PATH = "/internal/v1/bases/";

    /** A layer installed from {@code from} in {@code took}. */
    public record Fetched(BaseSnapshot base, String from, String contentHash, Duration took) {
    }

    private final PeerCopies peers;
    private final String node;
    private final Duration goneAfter;
    private final Optional<String> token;
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "base-fetch-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param token sent as a bearer token, for peers that require {@code drover.snapshots.peer-token} */
    public PeerFetch(PeerCopies peers, String node, Duration goneAfter, Optional<String> token) {
        this.peers = peers;
        this.node = node;
        this.goneAfter = goneAfter;
        this.token = token;
    }

    public Optional<Fetched> fetch(BaseSpec spec, BaseLayers layers) {
        List<PeerCopy> peers = new ArrayList<>(this.peers.of(spec.hash(), node, goneAfter));
        Collections.shuffle(peers);
        for (PeerCopy peer : peers) {
            long start = System.nanoTime();
            try {
                BaseSnapshot base = fetchFrom(peer, spec, layers);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                LOG.info("Base {} fetched from node {} ({} bytes, content hash verified) in {} ms", spec.hash(),
                        peer.node(), base.sizeBytes(), took.toMillis());
                return Optional.of(new Fetched(base, peer.node(), peer.contentHash(), took));
            } catch (IOException | SandboxException | RuntimeException e) {
                LOG.warn("Could not fetch base {} from node {} at {}: {}; trying the next peer, or building it here",
                        spec.hash(), peer.node(), peer.address(), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private BaseSnapshot fetchFrom(PeerCopy peer, BaseSpec spec, BaseLayers layers)
            throws IOException, InterruptedException, SandboxException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stripSlash(peer.address()) + PATH + spec.hash()))
                .timeout(Duration.ofSeconds(30)).GET();
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        InputStream body = response.body();
        // The client has no read timeout: a peer that stalls mid-stream is cut off, so that the
        // node's build lock is not held forever, after a minute plus the layer at 5 MB/s.
        Duration limit = Duration.ofMinutes(1).plusMillis(peer.sizeBytes() / 5_000);
        ScheduledFuture<?> cutOff = WATCHDOG.schedule(() -> closeQuietly(body), limit.toMillis(), TimeUnit.MILLISECONDS);
        try (body) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode() + ": "
                        + new String(body.readNBytes(500), StandardCharsets.UTF_8));
            }
            return layers.install(spec, body, peer.contentHash());
        } finally {
            cutOff.cancel(false);
        }
    }

    private static void closeQuietly(InputStream body) {
        try {
            LOG.warn("A base transfer took longer than its limit; cutting it off");
            body.close();
        } catch (IOException e) {
            // the reader fails either way
        }
    }

    private static String stripSlash(String address) {
        return address.endsWith("/") ? address.substring(0, address.length() - 1) : address;
    }
}
