package io.drover.orchestrator.config;

import io.drover.orchestrator.cluster.Instance;
import io.drover.orchestrator.cluster.NodeName;
import io.drover.persistence.Database;
import io.drover.persistence.instance.InstanceStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.UUID;

/** This process's identity among Drover's processes, and the table they all register in. */
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
}
