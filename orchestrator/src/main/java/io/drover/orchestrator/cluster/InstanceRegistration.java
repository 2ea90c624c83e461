package io.drover.orchestrator.cluster;

import io.drover.orchestrator.sandbox.SandboxReclaim;
import io.drover.persistence.instance.InstanceStore;
import io.drover.persistence.sandbox.SandboxStore;
import io.drover.workers.sandbox.Drivers;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records this process in the instance table at start-up, with the sandbox drivers it runs, renews
 * the row on each heartbeat (the {@code instance-heartbeat} route) and marks it stopped at
 * shutdown. A process that dies keeps its row until it is not seen for
 * {@code drover.cluster.gone-after}: then it is gone, and its sandboxes are reclaimed.
 */
@ApplicationScoped
public class InstanceRegistration {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceRegistration.class);

    @Inject
    Instance instance;
    @Inject
    InstanceStore instances;
    @Inject
    SandboxStore sandboxes;
    @Inject
    Drivers drivers;
    @Inject
    SandboxReclaim reclaim;

    void onStart(@Observes StartupEvent event) {
        register();
        LOG.info("Instance {} on node {} ({}) reachable at {}; sandbox drivers: {}", instance.id(), instance.node(),
                instance.roles(), instance.address(), drivers.names().isEmpty() ? "none" : drivers.names());
        reclaim.reclaim();
    }

    /** Renews the row; writes it again if it was forgotten meanwhile (the database was restored, say). */
    public void beat() {
        if (!instances.beat(instance.id())) {
            register();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        try {
            instances.stop(instance.id());
        } catch (RuntimeException e) {
            LOG.warn("Could not record that instance {} stopped: {}", instance.id(), e.getMessage());
        }
    }

    private void register() {
        instances.register(instance.id(), instance.node(), instance.roles(), instance.address());
        sandboxes.offer(instance.id(), drivers.names());
    }
}
