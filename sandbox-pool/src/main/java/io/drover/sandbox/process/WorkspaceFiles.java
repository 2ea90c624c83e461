package io.drover.sandbox.process;

import io.drover.sandbox.SandboxException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Reads what a sandbox wrote under /workspace from its overlay upper dir on the host. Every
 * component of the path is checked without following links: the sandbox owns those directories,
 * and a link planted there must not turn a read by Drover (root) into a read of a host file.
 * Files the sandbox did not write itself (left unchanged in the base) are not in the upper dir
 * and read as absent.
 */
final class WorkspaceFiles {
    static final String WORKSPACE = "/workspace/";

    private WorkspaceFiles() {
    }

    static Optional<byte[]> read(Path upper, String path, long maxBytes) throws SandboxException {
        if (path == null || !path.startsWith(WORKSPACE) || path.contains("\0")) {
            throw new SandboxException("path " + path + ": only files under " + WORKSPACE + " can be read");
        }
        Path relative = Path.of(path.substring(WORKSPACE.length())).normalize();
        if (relative.toString().isEmpty() || relative.startsWith("..") || relative.isAbsolute()) {
            throw new SandboxException("path " + path + ": must name a file under " + WORKSPACE);
        }
        try {
            Path current = upper;
            for (int i = 0; i < relative.getNameCount(); i++) {
                current = current.resolve(relative.getName(i));
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(current, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (java.nio.file.NoSuchFileException e) {
                    return Optional.empty();
                }
                boolean last = i == relative.getNameCount() - 1;
                if (last ? !attributes.isRegularFile() : !attributes.isDirectory()) {
                    return Optional.empty();
                }
            }
            try (InputStream in = Channels.newInputStream(Files.newByteChannel(current, StandardOpenOption.READ,
                    LinkOption.NOFOLLOW_LINKS))) {
                return Optional.of(in.readNBytes((int) Math.min(maxBytes, Integer.MAX_VALUE - 8)));
            }
        } catch (IOException e) {
            throw new SandboxException("could not read " + path + " of the sandbox: " + e.getMessage());
        }
    }
}
