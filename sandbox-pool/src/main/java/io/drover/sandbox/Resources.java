package io.drover.sandbox;

/** Limits a sandbox is created with. */
public record Resources(int memoryMb, double vcpus, int maxProcesses) {
    public static final Resources DEFAULT = new Resources(512, 1.0, 512);

    public long memoryBytes() {
        return memoryMb * 1024L * 1024L;
    }
}
