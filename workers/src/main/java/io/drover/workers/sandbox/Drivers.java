package io.drover.workers.sandbox;

import io.drover.sandbox.SandboxDriver;
import io.drover.sandbox.SandboxException;
import io.drover.sandbox.preflight.Preflight;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The sandbox drivers this process can use, by name, and what each driver's start-up preflight
 * found, including the drivers that failed it and so are not here.
 */
public final class Drivers implements AutoCloseable {
    private final Map<String, SandboxDriver> byName = new LinkedHashMap<>();
    private final Map<String, Preflight> preflights = new LinkedHashMap<>();

    public Drivers(List<SandboxDriver> drivers) {
        this(drivers, List.of());
    }

    public Drivers(List<SandboxDriver> drivers, List<Preflight> preflights) {
        drivers.forEach(d -> byName.put(d.name(), d));
        preflights.forEach(p -> this.preflights.put(p.driver(), p));
    }

    public SandboxDriver get(String name) throws SandboxException {
        SandboxDriver driver = byName.get(name);
        if (driver == null) {
            throw new SandboxException(unavailable(name).orElseThrow());
        }
        return driver;
    }

    /** Why the named driver runs no sandbox here (its failed preflight, or its absence); empty when it does. */
    public Optional<String> unavailable(String name) {
        if (byName.containsKey(name)) {
            return Optional.empty();
        }
        return Optional.of(preflight(name).flatMap(Preflight::reason)
                .orElse("sandbox driver '" + name + "' is not available here; available: " + byName.keySet()));
    }

    public Set<String> names() {
        return byName.keySet();
    }

    /** What the named driver's preflight found, if it ran one. */
    public Optional<Preflight> preflight(String name) {
        return Optional.ofNullable(preflights.get(name));
    }

    /** Each driver that failed its preflight here, with the reason. */
    public Map<String, String> failedPreflights() {
        Map<String, String> failed = new LinkedHashMap<>();
        preflights.values().forEach(p -> p.reason().filter(r -> !byName.containsKey(p.driver()))
                .ifPresent(r -> failed.put(p.driver(), r)));
        return failed;
    }

    /** The drivers whose sandboxes get a network per their policy. */
    public Set<String> networked() {
        return byName.entrySet().stream().filter(e -> e.getValue().supportsNetwork()).map(Map.Entry::getKey)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** The drivers that can give a base's setup secrets ({@link SandboxDriver#supportsSetupSecrets()}). */
    public Set<String> withSetupSecrets() {
        return byName.entrySet().stream().filter(e -> e.getValue().supportsSetupSecrets()).map(Map.Entry::getKey)
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
