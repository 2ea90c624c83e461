package io.drover.sandbox;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A prepared base: the files setup left behind, read-only from here on.
 *
 * @param location where the driver keeps the base's layer
 */
public record BaseSnapshot(String hash, BaseSpec spec, Path location, long sizeBytes, Duration buildTime) {
}
