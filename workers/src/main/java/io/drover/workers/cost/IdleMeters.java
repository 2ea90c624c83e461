package io.drover.workers.cost;

import io.drover.persistence.cost.PoolIdle;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** The idle meter of each driver's pool, writing to one ledger; closed after the pools. */
public final class IdleMeters implements AutoCloseable {
    private final PriceTable prices;
    private final Consumer<PoolIdle> ledger;
    private final Map<String, IdleMeter> byDriver = new ConcurrentHashMap<>();

    public IdleMeters(PriceTable prices, Consumer<PoolIdle> ledger) {
        this.prices = prices;
        this.ledger = ledger;
    }

    public IdleMeter of(String driver) {
        return byDriver.computeIfAbsent(driver, d -> new IdleMeter(d, prices, ledger));
    }

    /** Waits until every idle period told so far is in the ledger. */
    public void flush() throws InterruptedException {
        for (IdleMeter meter : byDriver.values()) {
            meter.flush();
        }
    }

    @Override
    public void close() {
        byDriver.values().forEach(IdleMeter::close);
    }
}
