package io.drover.orchestrator.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A secret Drover keeps in a file of its data dir (the admin token, the secrets key): made once,
 * mode 0600 from the start, published by a hard link so that two processes on one data dir agree on
 * one, and refused at every start if others may read it.
 */
public final class OwnerOnlyFile {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private OwnerOnlyFile() {
    }

    /**
     * The file's content, stripped; if there is no file, {@code make} gives it first and
     * {@code made} hears of it once it is in place (not when another process won the race).
     */
    public static String readOrMake(Path file, Supplier<String> make, Consumer<String> made) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                String content = make.get();
                Path partial = file.resolveSibling(file.getFileName() + ".partial");
                Files.deleteIfExists(partial);
                Files.createFile(partial, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                Files.writeString(partial, content + "\n", StandardCharsets.UTF_8);
                try {
                    Files.createLink(file, partial);
                    made.accept(content);
                } catch (FileAlreadyExistsException raced) {
                    // Another process on this data dir made it first: that one holds.
                } finally {
                    Files.delete(partial);
                }
            }
            if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                throw new IllegalStateException(file + " must be readable by its owner only (chmod 600 " + file + ")");
            }
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or make " + file, e);
        }
    }
}
