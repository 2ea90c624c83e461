package io.drover.workers.snapshot;

import io.drover.persistence.snapshot.BaseCopy;
import io.drover.persistence.snapshot.BaseCopyStore;
import io.drover.persistence.snapshot.SnapshotState;
import io.drover.sandbox.BaseLayers;
import io.drover.sandbox.SandboxDriver;
import io.drover.sandbox.SandboxException;
import io.drover.workers.sandbox.Drivers;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * What a worker answers a peer that asks for a base's layer ({@link PeerFetch#PATH}). It serves
 * only a base this node holds READY in its records, from a driver whose layer on disk still hashes
 * to the recorded content hash, and only to a caller that shows {@code drover.snapshots.peer-token}
 * when one is set, or, without a token, to a caller on this machine (loopback). Addresses of other
 * instances are not trusted instead: a sandbox with egress reaches peers from its host's address,
 * but never the host's loopback (pasta runs with {@code --no-map-gw}), and never sees the token.
 */
public final class BaseLayerServer {

    /** The answer to one request. */
    public sealed interface Answer {
        /** The layer, to be written as a tar stream. */
        record Layer(String hash, String contentHash, BaseLayers layers) implements Answer {
            public void writeTo(OutputStream out) throws SandboxException {
                layers.export(hash, out);
            }
        }

        /** Not served, with the HTTP status and why. */
        record Refused(int status, String reason) implements Answer {
        }
    }

    private final BaseCopyStore copies;
    private final Drivers drivers;
    private final String node;
    private final Optional<String> token;

    public BaseLayerServer(BaseCopyStore copies, Drivers drivers, String node, Optional<String> token) {
        this.copies = copies;
        this.drivers = drivers;
        this.node = node;
        this.token = token;
    }

    /**
     * @param authorization the request's Authorization header, if any
     * @param caller        the request's remote address
     */
    public Answer open(String hash, Optional<String> authorization, InetAddress caller) {
        if (token.isPresent()) {
            byte[] expected = ("Bearer " + token.get()).getBytes(StandardCharsets.UTF_8);
            if (!MessageDigest.isEqual(expected, authorization.orElse("").getBytes(StandardCharsets.UTF_8))) {
                return new Answer.Refused(401, "send 'Authorization: Bearer <drover.snapshots.peer-token>'");
            }
        } else if (!caller.isLoopbackAddress()) {
            return new Answer.Refused(403, "without drover.snapshots.peer-token only this machine is served;"
                    + " set the same token on every node to fetch bases across machines");
        }
        if (!hash.matches("[0-9a-f]{64}")) {
            return new Answer.Refused(404, "not a base hash: " + hash);
        }
        Optional<BaseCopy> copy = copies.find(hash, node);
        if (copy.isEmpty() || copy.get().state() != SnapshotState.READY || copy.get().contentHash() == null) {
            return new Answer.Refused(404, "node " + node + " holds no READY copy of base " + hash);
        }
        for (String name : drivers.names()) {
            Optional<BaseLayers> layers = layersOf(name);
            if (layers.isEmpty()) {
                continue;
            }
            try {
                if (copy.get().contentHash().equals(layers.get().contentHash(hash))) {
                    return new Answer.Layer(hash, copy.get().contentHash(), layers.get());
                }
            } catch (SandboxException | RuntimeException e) {
                // not this driver's base, or no longer on disk: the next driver, then a 404
            }
        }
        return new Answer.Refused(404, "base " + hash + " is recorded on node " + node + " but not on its disk"
                + " with its recorded content hash");
    }

    private Optional<BaseLayers> layersOf(String driver) {
        try {
            SandboxDriver d = drivers.get(driver);
            return d.layers();
        } catch (SandboxException e) {
            return Optional.empty();
        }
    }
}
