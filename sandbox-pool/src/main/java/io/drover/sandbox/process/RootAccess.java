package io.drover.sandbox.process;

import io.drover.sandbox.process.launch.SandboxUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * bubblewrap runs as the unprivileged sandbox user and opens the workspace bind by path, so every
 * directory above the sandbox root must be searchable by that user. Checked once, at start-up.
 */
final class RootAccess {
    private RootAccess() {
    }

    static void requireSearchable(Path root, SandboxUser user) {
        for (Path dir = root.toAbsolutePath().normalize().getParent(); dir != null; dir = dir.getParent()) {
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
                int uid = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                boolean searchable = perms.contains(PosixFilePermission.OTHERS_EXECUTE)
                        || (uid == user.uid() && perms.contains(PosixFilePermission.OWNER_EXECUTE));
                if (!searchable) {
                    throw new IllegalStateException("the sandbox root " + root + " is below " + dir + ", which uid "
                            + user.uid() + " (root inside sandboxes) cannot search: run 'chmod o+x " + dir
                            + "' or choose a sandbox root elsewhere");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot inspect " + dir, e);
            }
        }
    }
}
