package io.drover.persistence.snapshot;

/**
 * A node's copy of a base that is now on its disk: built there ({@code fetchedFrom} null,
 * {@code millis} the setup's time) or fetched from a peer ({@code millis} the transfer's).
 */
public record CopyReady(String hash, String node, String location, long sizeBytes, String contentHash, long millis,
        String fetchedFrom, String builder) {

    public boolean fetched() {
        return fetchedFrom != null;
    }
}
