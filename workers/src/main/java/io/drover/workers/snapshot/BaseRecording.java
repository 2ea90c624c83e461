package io.drover.workers.snapshot;

import io.drover.persistence.snapshot.BaseCopyStore;
import io.drover.sandbox.BaseBuildLock;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * How one process records the bases its drivers prepare: on which node, as which instance, under
 * which per-node build lock, and whether it may fetch a missing base from a peer node.
 *
 * @param lock       excludes the other threads and processes of this node, never other nodes
 * @param builder    the instance named as a copy's builder
 * @param touchEvery a use is written at most this often per base
 * @param peers      empty to always build a missing base here
 */
public record BaseRecording(BaseCopyStore copies, BaseBuildLock lock, String node, String builder, Clock clock,
        Duration touchEvery, Optional<PeerFetch> peers) {
}
