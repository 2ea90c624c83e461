package io.drover.workers.cost;

import io.drover.persistence.cost.CostDimension;
import io.drover.persistence.cost.CostLine;
import io.drover.persistence.cost.PoolIdle;
import io.drover.sandbox.Usage;
import io.drover.sandbox.pool.PoolListener;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Meters warm-but-idle pool time: what a sandbox used in the pool before its lease (or before it
 * was destroyed unused) is priced as {@code overhead} lines and handed to the ledger on a thread of
 * its own, since the pool must not wait for the database. One meter per driver's pool.
 */
public final class IdleMeter implements PoolListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IdleMeter.class);

    private final String driver;
    private final PriceTable prices;
    private final Consumer<PoolIdle> ledger;
    private final ExecutorService writer;

    public IdleMeter(String driver, PriceTable prices, Consumer<PoolIdle> ledger) {
        this.driver = driver;
        this.prices = prices;
        this.ledger = ledger;
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "idle-meter-" + driver);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void idled(String baseHash, String sandboxId, Instant since, Instant until, Usage usage) {
        PoolIdle idle = meter(baseHash, sandboxId, since, until, usage);
        if (idle.lines().isEmpty()) {
            return;
        }
        try {
            writer.execute(() -> write(idle));
        } catch (RejectedExecutionException e) {
            LOG.warn("Idle time of sandbox {} ({} ms active, {} ms standby) not recorded: the meter is closed",
                    sandboxId, idle.activeMs(), idle.standbyMs());
        }
    }

    /** Prices what a sandbox used while it waited in the pool; a line with nothing to charge is left out. */
    public PoolIdle meter(String baseHash, String sandboxId, Instant since, Instant until, Usage usage) {
        long activeMs = usage.activeTime().toMillis();
        long standbyMs = usage.standbyTime().toMillis();
        long memory = usage.memoryLimitBytes();
        Long cpuMs = usage.cpuTime().map(Duration::toMillis).orElse(null);
        List<CostLine> lines = new ArrayList<>();
        add(lines, "pool idle memory", Quantities.gibSeconds(memory, activeMs), "GiB-s", prices.memoryGibSecond());
        if (cpuMs != null) {
            add(lines, "pool idle cpu", Quantities.seconds(cpuMs), "vCPU-s", prices.vcpuSecond());
        }
        add(lines, "pool idle standby", Quantities.gibSeconds(memory, standbyMs), "GiB-s", prices.standbyGibSecond());
        if (usage.diskBytes().isPresent()) {
            add(lines, "pool idle workspace", Quantities.gibSeconds(usage.diskBytes().getAsLong(), activeMs + standbyMs),
                    "GiB-s", prices.storageGibSecond());
        }
        Long disk = usage.diskBytes().isPresent() ? usage.diskBytes().getAsLong() : null;
        return new PoolIdle(baseHash, driver, sandboxId, since, until, activeMs, standbyMs, cpuMs, memory, disk, lines);
    }

    private void write(PoolIdle idle) {
        try {
            ledger.accept(idle);
        } catch (RuntimeException e) {
            LOG.warn("Could not record the idle time of sandbox {} of base {} ({}); it is missing from the pool"
                    + " overhead", idle.sandboxId(), idle.baseHash(), e.getMessage());
        }
    }

    /** Waits until every idle period told so far is written. */
    public void flush() throws InterruptedException {
        try {
            writer.submit(() -> { }).get();
        } catch (java.util.concurrent.ExecutionException | RejectedExecutionException e) {
            // nothing is pending on a closed meter
        }
    }

    /** Writes what is pending (for at most 10 s), then stops. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("Idle-time records still pending after 10 s were dropped");
                writer.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            writer.shutdownNow();
        }
    }

    private static void add(List<CostLine> lines, String item, BigDecimal quantity, String unit, BigDecimal unitPrice) {
        if (quantity.signum() == 0) {
            return;
        }
        lines.add(new CostLine(CostDimension.OVERHEAD, item, quantity, unit, unitPrice,
                Quantities.amount(quantity, unitPrice), null));
    }
}
