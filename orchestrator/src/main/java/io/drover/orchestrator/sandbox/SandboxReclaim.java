package io.drover.orchestrator.sandbox;

import io.drover.persistence.sandbox.SandboxRecord;
import io.drover.persistence.sandbox.SandboxStore;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marks LOST the sandbox rows of instances that are gone: a sandbox lives in the process that
 * made it, so it died with it. Runs at start-up and then every {@code drover.cluster.gone-after};
 * live instances' sandboxes, and this process's own, are never touched.
 */
public final class SandboxReclaim {
    private static final Logger LOG = LoggerFactory.getLogger(SandboxReclaim.class);

    private final SandboxStore store;
    private final String self;
    private final Duration goneAfter;

    public SandboxReclaim(SandboxStore store, String self, Duration goneAfter) {
        this.store = store;
        this.self = self;
        this.goneAfter = goneAfter;
    }

    /** Returns how many sandboxes were found lost. */
    public int reclaim() {
        List<SandboxRecord> lost = store.reclaim(goneAfter, self);
        for (SandboxRecord s : lost) {
            LOG.warn("Sandbox {} ({} {} sandbox, opened {}) went with instance {}, which is gone: it is marked LOST,"
                    + " and requests for it are answered 410 naming that instance", s.id(), s.kind(), s.driver(),
                    s.openedAt(), s.owner());
        }
        return lost.size();
    }
}
