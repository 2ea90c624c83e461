package io.drover.persistence.snapshot;

/**
 * A READY copy of a base on another node, with a live worker instance there to fetch it from.
 *
 * @param address     where that instance's HTTP port is reached
 * @param contentHash what the fetched tree must hash to
 */
public record PeerCopy(String node, String address, String contentHash, long sizeBytes) {
}
