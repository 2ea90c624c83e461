package io.drover.workers.sandbox;

import io.drover.sandbox.SandboxDriver;
import io.drover.sandbox.SandboxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The sandbox drivers this process can use, by name. */
public final class Drivers implements AutoCloseable {
    private final Map<String, SandboxDriver> byName = new LinkedHashMap<>();

    public Drivers(List<SandboxDriver> drivers) {
        drivers.forEach(d -> byName.put(d.name(), d));
    }

    public SandboxDriver get(String name) throws SandboxException {
        SandboxDriver driver = byName.get(name);
        if (driver == null) {
            throw new SandboxException("sandbox driver '" + name + "' is not available here; available: " + byName.keySet());
        }
        return driver;
    }

    public Set<String> names() {
        return byName.keySet();
    }

    /** The drivers whose sandboxes get a network per their policy. */
    public Set<String> networked() {
        return byName.entrySet().stream().filter(e -> e.getValue().supportsNetwork()).map(Map.Entry::getKey)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** True when every driver here can build bases with setup commands. */
    public boolean supportSetup() {
        return !byName.isEmpty() && byName.values().stream().allMatch(SandboxDriver::supportsSetup);
    }

    @Override
    public void close() {
        byName.values().forEach(SandboxDriver::close);
    }
}
