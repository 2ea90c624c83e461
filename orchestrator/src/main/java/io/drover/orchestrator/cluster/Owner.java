package io.drover.orchestrator.cluster;

import io.drover.persistence.instance.InstanceRecord;

/** The instance that owns something (a sandbox, a log file), as seen from this process. */
public sealed interface Owner {

    /** This process. */
    record Self() implements Owner {
    }

    /** Another instance that is still there: requests go to its address. */
    record Live(InstanceRecord instance) implements Owner {
    }

    /**
     * An instance that stopped, was not seen for {@code drover.cluster.gone-after}, or is no longer
     * in the instance table ({@code lastKnown} null): what it held went with it.
     */
    record Gone(String id, InstanceRecord lastKnown) implements Owner {
        /** E.g. "instance w1 (node n1, http://10.0.0.7:8080) stopped at 2026-12-01T10:00:00Z". */
        public String described() {
            if (lastKnown == null) {
                return "instance " + id + " is gone (it is no longer in the instance table)";
            }
            String which = "instance " + id + " (node " + lastKnown.node() + ", " + lastKnown.address() + ")";
            return lastKnown.stopped() != null ? which + " stopped at " + lastKnown.stopped()
                    : which + " is gone: it was last seen at " + lastKnown.seen() + " and not since";
        }
    }
}
