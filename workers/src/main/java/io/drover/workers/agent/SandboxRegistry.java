package io.drover.workers.agent;

import io.drover.sandbox.pool.Lease;
import io.drover.sandbox.pool.SandboxPool;

/**
 * Lends a leased sandbox to an agent through the exec API, under a token of its own, for as long
 * as the attempt runs. The lease stays the attempt's: closing the registration does not release it.
 */
@FunctionalInterface
public interface SandboxRegistry {
    Registration register(String driver, SandboxPool pool, Lease lease);

    /** {@code url} is the sandbox's exec-API address, e.g. {@code http://127.0.0.1:8080/api/v1/sandboxes/<id>}. */
    interface Registration extends AutoCloseable {
        String url();

        String token();

        /** The token stops working; the sandbox is left to its lease holder. */
        @Override
        void close();
    }
}
