package io.drover.orchestrator.schedule;

import io.drover.persistence.schedule.ScheduleStore;
import io.drover.scheduler.schedule.ScheduleTriggers;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.drover.orchestrator.config.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts this instance's Quartz scheduler once Flyway has migrated the database (Quarkus migrates
 * before StartupEvent), after repairing any trigger a crash left out of line with the schedule table.
 */
@ApplicationScoped
public class SchedulerLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerLifecycle.class);

    @Inject
    ScheduleTriggers triggers;
    @Inject
    ScheduleStore schedules;
    @Inject
    Roles roles;

    void onStart(@Observes StartupEvent event) {
        if (!roles.scheduler()) {
            LOG.info("Schedules: no scheduler role here; processes with it fire the schedules");
            return;
        }
        triggers.reconcile(schedules.list());
        triggers.start();
        LOG.info("Schedules: this instance ({}) fires its share of the cluster's schedules", triggers.instanceId());
    }

    void onStop(@Observes ShutdownEvent event) {
        // other instances of the cluster take over this one's fires
        triggers.close();
    }
}
