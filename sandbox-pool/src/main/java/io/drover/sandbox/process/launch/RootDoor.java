package io.drover.sandbox.process.launch;

import java.nio.file.Path;
import java.util.List;

/**
 * How bubblewrap, running as the unprivileged sandbox user, reaches the sandbox root. bubblewrap
 * resolves bind sources by path (its --bind-fd too), so a root below a directory that user cannot
 * search (e.g. /root/.drover, /root being 0700) is out of its reach. Then each command first enters
 * a private mount namespace (still as root) in which the root is rbound onto /tmp, a directory
 * everyone can search; the host's mounts are untouched. It costs two execs per command, so a
 * searchable root goes direct.
 */
public record RootDoor(Path root, boolean needed) {
    private static final Path DOOR = Path.of("/tmp");
    private static final String OPEN = "set -e; mount --rbind \"$1\" /tmp; shift; exec \"$@\"";

    public static RootDoor direct(Path root) {
        return new RootDoor(root, false);
    }

    /** Where {@code path}, under the root, is found by bubblewrap. */
    Path inView(Path path) {
        return needed ? DOOR.resolve(root.relativize(path)) : path;
    }

    /** The commands that open the door before setpriv and bubblewrap run. */
    List<String> prefix() {
        if (!needed) {
            return List.of();
        }
        return List.of("unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c", OPEN, "drover-door",
                root.toString());
    }
}
