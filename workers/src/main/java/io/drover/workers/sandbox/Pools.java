package io.drover.workers.sandbox;

import io.drover.sandbox.SandboxDriver;
import io.drover.sandbox.SandboxException;
import io.drover.sandbox.pool.PoolListener;
import io.drover.sandbox.pool.PoolSettings;
import io.drover.sandbox.pool.SandboxPool;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** One sandbox pool per available driver. */
public final class Pools implements AutoCloseable {
    private final Map<String, SandboxPool> byDriver = new LinkedHashMap<>();

    public Pools(Drivers drivers, PoolSettings settings, Clock clock, PoolListener listener) throws SandboxException {
        this(drivers, settings, clock, driver -> listener);
    }

    /** @param listeners the listener of each driver's pool, by driver name */
    public Pools(Drivers drivers, PoolSettings settings, Clock clock, Function<String, PoolListener> listeners)
            throws SandboxException {
        for (String name : drivers.names()) {
            SandboxDriver driver = drivers.get(name);
            byDriver.put(name, new SandboxPool(driver, settings, clock, listeners.apply(name)));
        }
    }

    public SandboxPool get(String driver) throws SandboxException {
        SandboxPool pool = byDriver.get(driver);
        if (pool == null) {
            throw new SandboxException("sandbox driver '" + driver + "' is not available here; available: "
                    + byDriver.keySet());
        }
        return pool;
    }

    public Map<String, SandboxPool> all() {
        return Map.copyOf(byDriver);
    }

    @Override
    public void close() {
        byDriver.values().forEach(SandboxPool::close);
    }
}
