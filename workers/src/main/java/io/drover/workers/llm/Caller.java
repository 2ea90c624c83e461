package io.drover.workers.llm;

import io.drover.persistence.attempt.TokenHolder;

/** Who a gateway call is made for, as its bearer token says. */
public sealed interface Caller {

    /** A running attempt's task or agent: its calls are charged to the attempt. */
    record Attempt(TokenHolder holder) implements Caller {
    }

    /** An exec-API sandbox opened outside any job: its calls are counted in metrics only. */
    record Sandbox(String sandboxId) implements Caller {
    }
}
