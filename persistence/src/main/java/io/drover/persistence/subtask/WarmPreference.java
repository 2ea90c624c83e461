package io.drover.persistence.subtask;

import java.time.Duration;

/**
 * What a claim prefers: for a worker on {@code node}, jobs whose base has a READY copy on that
 * node come first, jobs whose base is READY only on other live worker nodes come last, the rest in
 * between. Bounded twice over: it only orders a claim's candidates, never filters them (a worker
 * with free slots takes whatever it may), and a job none of whose subtasks was claimed for
 * {@code starveAfter} ranks before all of them on every node, so it waits at most that long
 * (plus one claim) however much warm work there is. Within each rank the claim stays
 * round-robin by priority, and concurrency limits are applied before any ordering.
 *
 * @param node        the claiming worker's node; null for no preference
 * @param goneAfter   a worker instance not seen for this long does not count as holding a copy
 */
public record WarmPreference(String node, Duration starveAfter, Duration goneAfter) {
    /** Round-robin by priority alone, as a claim with no node. */
    public static final WarmPreference NONE = new WarmPreference(null, Duration.ZERO, Duration.ZERO);

    /**
     * The claim's warmth rank of job {@code j} from the CTE {@code me (node, starve_after,
     * gone_after)}: 0 starving (nothing claimed from it for {@code starveAfter}, on any node), 1 warm
     * on this node, 2 warm nowhere live, 3 warm only on other live worker nodes; 2 for every job
     * when there is no node, which leaves the claim as it was.
     */
    static final String RANK = """
            CASE WHEN me.node IS NULL OR j.base_hash IS NULL THEN 2
                 WHEN coalesce((SELECT max(t.started_at) FROM attempt t WHERE t.job_id = j.id), j.created_at)
                      < now() - me.starve_after THEN 0
                 WHEN EXISTS (SELECT 1 FROM base_copy bc
                               WHERE bc.hash = j.base_hash AND bc.node = me.node AND bc.state = 'READY') THEN 1
                 WHEN EXISTS (SELECT 1 FROM base_copy bc JOIN instance i ON i.node = bc.node
                               WHERE bc.hash = j.base_hash AND bc.state = 'READY' AND bc.node <> me.node
                                 AND i.stopped_at IS NULL AND i.seen_at > now() - me.gone_after
                                 AND ',' || i.roles || ',' LIKE '%,worker,%') THEN 3
                 ELSE 2 END""";

    /** The CTE the rank reads: the node, then the two windows in seconds. */
    static final String ME = "me AS (SELECT ?::text AS node, make_interval(secs => ?::double precision) AS starve_after,"
            + " make_interval(secs => ?::double precision) AS gone_after)";
}
