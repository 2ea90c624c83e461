package io.drover.sandbox;

/**
 * Limits a sandbox is created with.
 *
 * @param network what its commands may reach; see {@link NetworkPolicy}
 * @param diskMb  what it may write to /workspace and /tmp together, in MiB; {@link #DRIVER_DEFAULT_DISK}
 *                (0): the driver's default ({@code drover.pool.sandbox-disk-mb})
 */
public record Resources(int memoryMb, double vcpus, int maxProcesses, NetworkPolicy network, int diskMb) {
    public static final int DRIVER_DEFAULT_DISK = 0;
    public static final Resources DEFAULT = new Resources(512, 1.0, 512);

    public Resources {
        network = network == null ? NetworkPolicy.NONE : network;
        if (diskMb < 0) {
            throw new IllegalArgumentException("diskMb must be positive, or 0 for the driver's default; was " + diskMb);
        }
    }

    /** With the driver's default disk limit. */
    public Resources(int memoryMb, double vcpus, int maxProcesses, NetworkPolicy network) {
        this(memoryMb, vcpus, maxProcesses, network, DRIVER_DEFAULT_DISK);
    }

    /** Loopback only. */
    public Resources(int memoryMb, double vcpus, int maxProcesses) {
        this(memoryMb, vcpus, maxProcesses, NetworkPolicy.NONE);
    }

    public Resources withNetwork(NetworkPolicy policy) {
        return new Resources(memoryMb, vcpus, maxProcesses, policy, diskMb);
    }

    public Resources withDiskMb(int megabytes) {
        return new Resources(memoryMb, vcpus, maxProcesses, network, megabytes);
    }

    public long memoryBytes() {
        return memoryMb * 1024L * 1024L;
    }
}
