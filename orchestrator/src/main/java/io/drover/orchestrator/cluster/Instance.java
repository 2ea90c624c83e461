package io.drover.orchestrator.cluster;

/**
 * This process among Drover's processes.
 *
 * @param id      its identity (the owner of its attempts and sandboxes), new at each start
 * @param node    the machine, i.e. the data dir, it runs on: the same after a restart
 * @param address where other processes reach its HTTP port
 * @param roles   what it does, as configured (comma list)
 */
public record Instance(String id, String node, String address, String roles) {
}
