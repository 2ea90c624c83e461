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
            "/etc/ca-certificates", "/etc/nsswitch.conf",
            "/etc/ld.so.cache", "/etc/localtime");
    private static final List<String> TOP_LEVEL_LINKS = List.of("/bin", "/lib", "/lib64", "/lib32", "/libx32", "/sbin");

    private static final Path HOST_RESOLV_CONF = Path.of("/etc/resolv.conf");

    private final Path etc;

    /**
     * Writes the generated /etc files under {@code etc}, which must be readable by the sandbox user.
     *
     * @param nameserver the DNS forwarder of sandboxes with a network of their own (the host's
     *                   resolv.conf may name a resolver on the host's loopback, out of their reach)
     */
    public HostView(Path etc, String nameserver) {
        this.etc = etc;
        try {
            Files.createDirectories(etc);
            Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/workspace:/bin/bash\n"
                    + "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
            Files.writeString(etc.resolve("group"), "root:x:0:\nnogroup:x:65534:\n");
            Files.writeString(etc.resolve("hosts"), "127.0.0.1 localhost drover\n::1 localhost ip6-localhost\n");
            Files.writeString(etc.resolve("resolv.conf"), "nameserver " + nameserver + "\noptions edns0\n");
            // Readable by the sandbox user whatever Drover's umask is.
            Files.setPosixFilePermissions(etc, PosixFilePermissions.fromString("rwxr-xr-x"));
            for (String file : List.of("passwd", "group", "hosts", "resolv.conf")) {
                Files.setPosixFilePermissions(etc.resolve(file), PosixFilePermissions.fromString("rw-r--r--"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sandbox /etc files in " + etc, e);
        }
    }

    /**
     * bubblewrap arguments that build the read-only part of the view.
     *
     * @param ownDns whether the sandbox resolves through its network's forwarder rather than as the host does
     */
    List<String> arguments(RootDoor door, boolean ownDns) {
        List<String> args = new ArrayList<>();
        if (ownDns) {
            args.addAll(List.of("--ro-bind", door.inView(etc.resolve("resolv.conf")).toString(), "/etc/resolv.conf"));
        } else {
            args.addAll(List.of("--ro-bind-try", HOST_RESOLV_CONF.toString(), HOST_RESOLV_CONF.toString()));
        }
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
