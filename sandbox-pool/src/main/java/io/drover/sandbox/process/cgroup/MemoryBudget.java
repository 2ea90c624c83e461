package io.drover.sandbox.process.cgroup;

/**
 * What the pool may give its sandboxes at once, as configured: checked at start-up against the
 * memory limit the sandboxes share with this process ({@link MemoryLimit}).
 *
 * @param sandboxes    the most sandboxes at once
 * @param memoryMbEach the memory each is counted at
 * @param sandboxesKey the setting of {@code sandboxes}, named in the check's message
 * @param memoryKey    the setting of {@code memoryMbEach}, named in the check's message
 */
public record MemoryBudget(int sandboxes, int memoryMbEach, String sandboxesKey, String memoryKey) {

    public long bytes() {
        return (long) sandboxes * memoryMbEach * 1024 * 1024;
    }
}
