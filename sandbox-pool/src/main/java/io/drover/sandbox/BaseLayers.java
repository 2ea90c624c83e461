package io.drover.sandbox;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * A driver's base layers as directory trees that one node can send and another install, instead
 * of running the setup again. The receiver trusts nothing in the stream but what hashes to the
 * content hash recorded by the node that built the layer.
 */
public interface BaseLayers {

    /** The base of {@code spec} on this node's disk, without building it; empty when it is not there. */
    Optional<BaseSnapshot> find(BaseSpec spec);

    /**
     * A sha256 over the layer's tree: every path with its type, mode, owner, size and contents, link
     * target or device number (not times, not extended attributes). Computed when the base was
     * built; a base of an older version is hashed on first request.
     */
    String contentHash(String hash) throws SandboxException;

    /** Writes the ready base {@code hash} as a tar stream. */
    void export(String hash, OutputStream out) throws SandboxException;

    /**
     * Installs a tar stream written by {@link #export} as the base of {@code spec}: unpacked aside,
     * hashed, and published under its hash in one rename only if its tree hashes to
     * {@code contentHash}. A base already on disk is kept and returned.
     *
     * @throws SandboxException when the stream is not a base, or its tree does not hash to {@code contentHash}
     */
    BaseSnapshot install(BaseSpec spec, InputStream tar, String contentHash) throws SandboxException;
}
