package io.drover.sandbox.process.base;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A sha256 over a layer's tree, the same on every node that holds the same layer: each path in
 * sorted order with its type and mode bits, owner, and its contents (files), target (links) or
 * device number (overlay whiteouts). Times are left out (an unpacked copy has its own), and so are
 * extended attributes (the JDK reads only the user namespace; overlay's opaque marks are trusted.*).
 */
public final class LayerDigest {
    private LayerDigest() {
    }

    public static String of(Path layer) throws IOException {
        MessageDigest digest = sha256();
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(layer)) {
            paths = walk.sorted().toList();
        }
        byte[] buffer = new byte[1 << 16];
        for (Path p : paths) {
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,rdev,size", LinkOption.NOFOLLOW_LINKS);
            String rel = layer.relativize(p).toString();
            String kind = Files.isSymbolicLink(p) ? "l" : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "d"
                    : Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? "f" : "o";
            String head = rel + '\0' + kind + ' ' + Integer.toOctalString((Integer) a.get("mode")) + ' ' + a.get("uid")
                    + ' ' + a.get("gid");
            switch (kind) {
                case "l" -> head += " -> " + Files.readSymbolicLink(p);
                case "o" -> head += " dev " + a.get("rdev");
                case "f" -> head += " size " + a.get("size");
                default -> { }
            }
            digest.update((head + '\n').getBytes(StandardCharsets.UTF_8));
            if (kind.equals("f")) {
                try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        digest.update(buffer, 0, n);
                    }
                }
            }
        }
        return "sha256:" + HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
