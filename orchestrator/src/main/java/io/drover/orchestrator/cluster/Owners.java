package io.drover.orchestrator.cluster;

import io.drover.persistence.instance.InstanceStore;
import java.time.Clock;
import java.time.Duration;

/** Tells whether an owner instance is this process, another live one, or gone. */
public final class Owners {
    private final Instance self;
    private final InstanceStore instances;
    private final Duration goneAfter;
    private final Clock clock;

    public Owners(Instance self, InstanceStore instances, Duration goneAfter, Clock clock) {
        this.self = self;
        this.instances = instances;
        this.goneAfter = goneAfter;
        this.clock = clock;
    }

    public Owner of(String instanceId) {
        if (self.id().equals(instanceId)) {
            return new Owner.Self();
        }
        return instances.find(instanceId).<Owner>map(r -> r.live(clock.instant(), goneAfter) ? new Owner.Live(r)
                : new Owner.Gone(instanceId, r)).orElseGet(() -> new Owner.Gone(instanceId, null));
    }

    public Instance self() {
        return self;
    }
}
