package io.drover.sandbox.pool;

import java.time.Duration;

/** What the pool reports as it works, for metrics. Called on the pool's threads; must not block. */
public interface PoolListener {
    void cloned(String baseHash, Duration took);

    void resumed(String baseHash, Duration took);

    void leased(String baseHash, Duration waited, boolean warm);

    PoolListener NONE = new PoolListener() {
        @Override
        public void cloned(String baseHash, Duration took) {
        }

        @Override
        public void resumed(String baseHash, Duration took) {
        }

        @Override
        public void leased(String baseHash, Duration waited, boolean warm) {
        }
    };
}
