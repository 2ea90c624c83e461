package io.drover.orchestrator.routes;

import io.drover.orchestrator.config.Roles;
import io.drover.persistence.notice.WorkListener;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Wakes this process's dispatcher when PostgreSQL says subtasks became ready, whichever process
 * made them so: work submitted through another instance starts at once, not at the next poll.
 * Only workers listen: nothing else claims.
 */
@ApplicationScoped
public class WorkNotices {
    private static final Duration RECONNECT_AFTER = Duration.ofSeconds(2);

    @Inject
    DataSource dataSource;
    @Inject
    CamelJobEvents events;
    @Inject
    Roles roles;

    private WorkListener listener;

    void onStart(@Observes StartupEvent event) {
        if (!roles.worker()) {
            return;
        }
        listener = new WorkListener(dataSource, events::wake, RECONNECT_AFTER).start();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (listener != null) {
            listener.close();
        }
    }
}
