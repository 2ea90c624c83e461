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
 * directory above the sandbox root must be searchable by that user, or the launcher needs a
 * {@link io.drover.sandbox.process.launch.RootDoor}. Checked once, at start-up.
 */
final class RootAccess {
    private RootAccess() {
    }

    /** The first directory above {@code root} that {@code user} cannot search, if any. */
    static java.util.Optional<Path> firstUnsearchable(Path root, SandboxUser user) {
        for (Path dir = root.toAbsolutePath().normalize().getParent(); dir != null; dir = dir.getParent()) {
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
                int uid = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                boolean searchable = perms.contains(PosixFilePermission.OTHERS_EXECUTE)
                        || (uid == user.uid() && perms.contains(PosixFilePermission.OWNER_EXECUTE));
                if (!searchable) {
                    return java.util.Optional.of(dir);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot inspect " + dir, e);
            }
        }
        return java.util.Optional.empty();
    }
}
