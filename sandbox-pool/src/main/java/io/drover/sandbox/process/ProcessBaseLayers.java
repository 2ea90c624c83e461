package io.drover.sandbox.process;

import io.drover.sandbox.BaseLayers;
import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.SandboxException;
import io.drover.sandbox.process.base.BaseStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

/**
 * The process driver's bases as layers for peers: a base directory is its layer tree and a
 * metadata file, sent as a tar stream and unpacked beside the bases (so that publishing it is one
 * rename on the same file system).
 */
final class ProcessBaseLayers implements BaseLayers {
    private final BaseStore store;
    private final Path bases;

    ProcessBaseLayers(BaseStore store, Path bases) {
        this.store = store;
        this.bases = bases;
    }

    @Override
    public Optional<BaseSnapshot> find(BaseSpec spec) {
        return store.find(spec);
    }

    @Override
    public String contentHash(String hash) throws SandboxException {
        try {
            return store.contentHash(hash);
        } catch (IOException e) {
            throw new SandboxException("could not hash the base " + hash + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void export(String hash, OutputStream out) throws SandboxException {
        try {
            store.export(hash, out);
        } catch (IOException e) {
            throw new SandboxException("could not send the base " + hash + ": " + e.getMessage(), e);
        }
    }

    @Override
    public BaseSnapshot install(BaseSpec spec, InputStream tar, String contentHash) throws SandboxException {
        Path staging = bases.resolve(".fetching-" + spec.hash().substring(0, 12) + "-"
                + UUID.randomUUID().toString().substring(0, 8));
        try {
            return store.install(spec, tar, contentHash, staging);
        } catch (IOException e) {
            throw new SandboxException("could not install the base " + spec.hash() + " received from a peer: "
                    + e.getMessage(), e);
        }
    }
}
