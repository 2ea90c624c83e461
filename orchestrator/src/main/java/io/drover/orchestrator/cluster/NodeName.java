package io.drover.orchestrator.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The node's name kept in {@code <data-dir>/node-id}: made once, as {@code <host name>-<random>},
 * so that two data dirs on one host are two nodes and a restarted process is the same node.
 */
public final class NodeName {
    static final String FILE = "node-id";

    private NodeName() {
    }

    public static String of(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.isRegularFile(file)) {
                String name = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!name.isEmpty()) {
                    return name;
                }
            }
            Files.createDirectories(dataDir);
            byte[] random = new byte[3];
            new SecureRandom().nextBytes(random);
            String name = hostName() + "-" + HexFormat.of().formatHex(random);
            Path written = Files.createTempFile(dataDir, FILE, ".tmp");
            Files.writeString(written, name + "\n", StandardCharsets.UTF_8);
            try {
                // Another process on the same data dir may have won the race: its name is the one kept.
                Files.createLink(file, written);
            } catch (FileAlreadyExistsException e) {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            } finally {
                Files.deleteIfExists(written);
            }
            return name;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the node name in " + file
                    + " (drover.data-dir; or set drover.cluster.node)", e);
        }
    }

    public static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
