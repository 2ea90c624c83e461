package io.drover.sandbox;

/**
 * Limits a sandbox is created with.
 *
 * @param network what its commands may reach; see {@link NetworkPolicy}
 */
public record Resources(int memoryMb, double vcpus, int maxProcesses, NetworkPolicy network) {
    public static final Resources DEFAULT = new Resources(512, 1.0, 512);

    public Resources {
        network = network == null ? NetworkPolicy.NONE : network;
    }

    /** Loopback only. */
    public Resources(int memoryMb, double vcpus, int maxProcesses) {
        this(memoryMb, vcpus, maxProcesses, NetworkPolicy.NONE);
    }

    public Resources withNetwork(NetworkPolicy policy) {
        return new Resources(memoryMb, vcpus, maxProcesses, policy);
    }

    public long memoryBytes() {
        return memoryMb * 1024L * 1024L;
    }
}
