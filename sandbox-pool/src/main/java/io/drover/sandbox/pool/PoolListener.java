package io.drover.sandbox.pool;

import io.drover.sandbox.Usage;
import java.time.Duration;
import java.time.Instant;

/** What the pool reports as it works, for metrics and metering. Called on the pool's threads; must not block. */
public interface PoolListener {
    default void cloned(String baseHash, Duration took) {
    }

    default void resumed(String baseHash, Duration took) {
    }

    default void leased(String baseHash, Duration waited, boolean warm) {
    }

    /**
     * A sandbox left the pool's waiting room: leased (then {@code usage} is what it used before its
     * lease, which its holder is not charged for; near zero for a clone made for the lease), or
     * destroyed without ever being leased (evicted, its base retired, the pool closed).
     *
     * @param since when it was cloned
     * @param until when it was leased or destroyed
     */
    default void idled(String baseHash, String sandboxId, Instant since, Instant until, Usage usage) {
    }

    /** Tells every listener, in order. */
    static PoolListener all(PoolListener... listeners) {
        return new PoolListener() {
            @Override
            public void cloned(String baseHash, Duration took) {
                for (PoolListener l : listeners) {
                    l.cloned(baseHash, took);
                }
            }

            @Override
            public void resumed(String baseHash, Duration took) {
                for (PoolListener l : listeners) {
                    l.resumed(baseHash, took);
                }
            }

            @Override
            public void leased(String baseHash, Duration waited, boolean warm) {
                for (PoolListener l : listeners) {
                    l.leased(baseHash, waited, warm);
                }
            }

            @Override
            public void idled(String baseHash, String sandboxId, Instant since, Instant until, Usage usage) {
                for (PoolListener l : listeners) {
                    l.idled(baseHash, sandboxId, since, until, usage);
                }
            }
        };
    }

    PoolListener NONE = new PoolListener() {
    };
}
