package io.drover.orchestrator.routes;

import io.drover.workers.Worker;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On shutdown, running subtasks are stopped and handed back to the queue at once instead of
 * being waited for: the next Drover process (or another instance) runs them again.
 */
@ApplicationScoped
public class WorkerShutdown {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerShutdown.class);

    @Inject
    Worker worker;

    void onStop(@Observes @Priority(1) ShutdownEvent event) {
        int busy = worker.slots().inUse();
        if (busy > 0) {
            LOG.info("Stopping: {} running subtasks are stopped and handed back to the queue", busy);
        }
        worker.stop();
    }
}
