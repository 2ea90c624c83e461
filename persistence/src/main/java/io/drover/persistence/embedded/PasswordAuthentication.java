package io.drover.persistence.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import javax.sql.DataSource;

/**
 * The embedded server's one account, {@code postgres}, with a generated password kept beside its
 * data directory in a file only its owner may read (0600). {@code initdb} trusts every local
 * connection; {@link #require} sets the password and rewrites {@code pg_hba.conf} so that every
 * connection, over TCP or the Unix socket, must give it (scram-sha-256). Another user of the host
 * can no longer read or alter the jobs.
 */
final class PasswordAuthentication {
    static final String HBA = """
            # Written by Drover: every connection gives the password kept in %s (scram-sha-256).
            local all all scram-sha-256
            host  all all 127.0.0.1/32 scram-sha-256
            host  all all ::1/128 scram-sha-256
            """;

    private PasswordAuthentication() {
    }

    /**
     * The file's password, made (32 random bytes, mode 0600) if there is none yet; a server that
     * demands a password already cannot be given a new one, so then a missing file is an error.
     */
    static String password(Path file, Path dataDirectory) throws IOException {
        if (!Files.exists(file) && demandsPassword(dataDirectory)) {
            throw new IllegalStateException(refusal(dataDirectory, file, "the file is missing"));
        }
        return password(file);
    }

    /** The message for a server that will not take the file's password. */
    static String refusal(Path dataDirectory, Path file, String why) {
        return "the embedded PostgreSQL in " + dataDirectory + " refuses the password in " + file + " (" + why
                + "); restore that file from a backup, or set quarkus.datasource.jdbc.url to use another server";
    }

    private static boolean demandsPassword(Path dataDirectory) throws IOException {
        Path hba = dataDirectory.resolve("pg_hba.conf");
        return Files.exists(hba) && Files.readString(hba, StandardCharsets.UTF_8).startsWith("# Written by Drover");
    }

    private static String password(Path file) throws IOException {
        if (Files.exists(file)) {
            String password = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (password.isEmpty()) {
                throw new IOException(file + " is empty: restore the embedded PostgreSQL's password into it");
            }
            return password;
        }
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        try {
            writePrivately(file, password + "\n", null);
        } catch (FileAlreadyExistsException e) {
            return password(file);
        }
        return password;
    }

    /**
     * Makes the server demand {@code password}: unless its {@code pg_hba.conf} is Drover's already,
     * sets the password (while the server still trusts local connections), then writes the file and
     * reloads the configuration.
     */
    static void require(Path dataDirectory, Path passwordFile, DataSource postgres, String password)
            throws IOException, SQLException {
        Path hba = dataDirectory.resolve("pg_hba.conf");
        String wanted = HBA.formatted(passwordFile);
        try (Connection c = postgres.getConnection(); Statement s = c.createStatement()) {
            if (Files.readString(hba, StandardCharsets.UTF_8).equals(wanted)) {
                return;
            }
            s.execute("SET password_encryption = 'scram-sha-256'");
            s.execute("ALTER ROLE postgres PASSWORD '" + password.replace("'", "''") + "'");
            writePrivately(hba, wanted, Files.getOwner(hba)); // the server's user must read it
            s.execute("SELECT pg_reload_conf()");
        }
    }

    /**
     * Writes {@code content} to {@code target} at once (a 0600 file beside it, then one rename),
     * owned by {@code owner} when given; replaces an existing target only when there is an owner
     * to keep, otherwise {@link FileAlreadyExistsException} says another process wrote it first.
     */
    private static void writePrivately(Path target, String content, UserPrincipal owner) throws IOException {
        Path written = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(written, content, StandardCharsets.UTF_8);
            if (owner == null) {
                Files.move(written, target, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.setOwner(written, owner);
                Files.move(written, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(written);
        }
    }
}
