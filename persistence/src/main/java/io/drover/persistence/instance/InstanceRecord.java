package io.drover.persistence.instance;

import java.time.Duration;
import java.time.Instant;

/**
 * A Drover process as the database knows it.
 *
 * @param id      its identity, also the owner of the attempts it runs
 * @param node    the machine (data dir) it runs on; stable across its restarts
 * @param roles   comma list of api, worker and scheduler
 * @param address where other processes reach its HTTP port, e.g. {@code http://10.0.3.7:8080}
 * @param stopped when it stopped cleanly; null while it runs or if it died
 */
public record InstanceRecord(String id, String node, String roles, String address, Instant started, Instant seen,
        Instant stopped) {

    /** Whether it still runs: not stopped, and seen within {@code goneAfter} of {@code now}. */
    public boolean live(Instant now, Duration goneAfter) {
        return stopped == null && seen.plus(goneAfter).isAfter(now);
    }
}
