package io.drover.sandbox.process.overlay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removal of a directory tree that may still hold mounts. */
public final class Trees {
    private Trees() {
    }

    /**
     * Unmounts whatever is mounted beneath {@code dir}, then deletes it. Deleting through a live
     * overlay would only write whiteouts into its upper dir, and leave the mount behind.
     */
    public static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        OverlayMount.mountPointsUnder(dir).forEach(OverlayMount::unmount);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }
}
