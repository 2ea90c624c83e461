package io.drover.orchestrator.config;

import io.drover.orchestrator.cluster.Forwarding;
import io.drover.orchestrator.cluster.Instance;
import io.drover.orchestrator.cluster.NodeName;
import io.drover.orchestrator.cluster.Owners;
import io.drover.persistence.Database;
import io.drover.persistence.attempt.AttemptLogs;
import io.drover.persistence.instance.InstanceStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/**
 * This process's identity among Drover's processes, the table they all register in, and how it
 * reaches the others for what they own (sandboxes, logs).
 */
@ApplicationScoped
public class ClusterBeans {
    @Produces
    @Singleton
    Instance instance(DroverConfig config) {
        String id = config.worker().owner().orElseGet(() -> NodeName.hostName() + ":" + ProcessHandle.current().pid()
                + ":" + UUID.randomUUID().toString().substring(0, 8));
        String node = config.cluster().node().orElseGet(() -> NodeName.of(config.dataDir()));
        String address = config.cluster().address().orElseGet(LlmBeans::localApi);
        return new Instance(id, node, address, String.join(",", config.roles()));
    }

    @Produces
    @Singleton
    InstanceStore instanceStore(Database db) {
        return new InstanceStore(db);
    }

    @Produces
    @Singleton
    Owners owners(Instance instance, InstanceStore instances, DroverConfig config) {
        Duration goneAfter = config.cluster().goneAfter();
        if (goneAfter.compareTo(config.cluster().heartbeatInterval().multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("drover.cluster.gone-after (" + goneAfter + ") must be at least twice"
                    + " drover.cluster.heartbeat-interval (" + config.cluster().heartbeatInterval() + "), or live"
                    + " instances are taken for gone between two heartbeats");
        }
        return new Owners(instance, instances, goneAfter, Clock.systemUTC());
    }

    @Produces
    @Singleton
    Forwarding forwarding(Instance instance) {
        return new Forwarding(instance);
    }

    @Produces
    @Singleton
    AttemptLogs attemptLogs(Database db) {
        return new AttemptLogs(db);
    }
}
