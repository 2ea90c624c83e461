package io.drover.persistence.sandbox;

/**
 * A live instance that runs sandboxes of some driver, and how many exec-API sandboxes it holds open.
 *
 * @param address where other processes reach its HTTP port
 */
public record SandboxHost(String instance, String address, int open) {
}
