package io.drover.orchestrator.routes;

import io.drover.orchestrator.job.JobEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.ProducerTemplate;

@ApplicationScoped
public class CamelJobEvents implements JobEvents {
    @Inject
    ProducerTemplate producer;

    @Override
    public void submitted(long jobId) {
        producer.sendBody(JobRoutes.SUBMITTED, jobId);
    }

    /** Tells the dispatcher to look for work now rather than at its next poll. */
    public void wake() {
        producer.sendBody(JobRoutes.WAKE, "wake");
    }
}
