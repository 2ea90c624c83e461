package io.drover.sandbox.process.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * What a sandbox sees of the host: read-only /usr (and the merged-/usr links), certificates and
 * alternatives, and generated /etc files. Never the host's whole /etc, /root, /home, /proc or /dev.
 */
public final class HostView {
    private static final List<String> READ_ONLY_TREES = List.of("/usr", "/etc/ssl/certs", "/etc/alternatives",
            "/etc/ca-certificates", "/etc/resolv.conf", "/etc/nsswitch.conf",
            "/etc/ld.so.cache", "/etc/localtime");
    private static final List<String> TOP_LEVEL_LINKS = List.of("/bin", "/lib", "/lib64", "/lib32", "/libx32", "/sbin");

    private final Path etc;

    /** Writes the generated /etc files under {@code etc}, which must be readable by the sandbox user. */
    public HostView(Path etc) {
        this.etc = etc;
        try {
            Files.createDirectories(etc);
            Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/workspace:/bin/bash\n"
                    + "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
            Files.writeString(etc.resolve("group"), "root:x:0:\nnogroup:x:65534:\n");
            Files.writeString(etc.resolve("hosts"), "127.0.0.1 localhost drover\n::1 localhost ip6-localhost\n");
            // Readable by the sandbox user whatever Drover's umask is.
            Files.setPosixFilePermissions(etc, PosixFilePermissions.fromString("rwxr-xr-x"));
            for (String file : List.of("passwd", "group", "hosts")) {
                Files.setPosixFilePermissions(etc.resolve(file), PosixFilePermissions.fromString("rw-r--r--"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sandbox /etc files in " + etc, e);
        }
    }

    /** bubblewrap arguments that build the read-only part of the view. */
    List<String> arguments(RootDoor door) {
        List<String> args = new ArrayList<>();
        for (String tree : READ_ONLY_TREES) {
            args.addAll(List.of("--ro-bind-try", tree, tree));
        }
        for (String link : TOP_LEVEL_LINKS) {
            Path path = Path.of(link);
            if (Files.isSymbolicLink(path)) {
                try {
                    args.addAll(List.of("--symlink", Files.readSymbolicLink(path).toString(), link));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the link " + link, e);
                }
            } else if (Files.isDirectory(path)) {
                // A host without merged /usr: these are real directories and must be bound too.
                args.addAll(List.of("--ro-bind", link, link));
            }
        }
        for (String file : List.of("passwd", "group", "hosts")) {
            args.addAll(List.of("--ro-bind", door.inView(etc.resolve(file)).toString(), "/etc/" + file));
        }
        return args;
    }
}
