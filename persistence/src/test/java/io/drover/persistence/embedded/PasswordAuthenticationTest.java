package io.drover.persistence.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The durable embedded server demands its generated password from every connection. */
class PasswordAuthenticationTest {
    @TempDir
    Path temp;

    @Test
    @Timeout(180)
    void only_the_password_in_the_0600_file_opens_the_database_and_it_survives_a_restart() throws Exception {
        Path pgdata = temp.resolve("pgdata");
        Path file = EmbeddedPostgresServer.passwordFile(pgdata);
        String password;
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.durable(pgdata)) {
            password = server.password().orElseThrow();
            assertThat(file).isEqualTo(temp.resolve("pgdata.password"));
            assertThat(Files.readString(file).strip()).isEqualTo(password).hasSizeGreaterThanOrEqualTo(40);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

            assertThatThrownBy(() -> connect(server, null)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("password");
            assertThatThrownBy(() -> connect(server, "guess")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("password authentication failed");
            assertThat(select(server, password, "SELECT rolpassword FROM pg_authid WHERE rolname = 'postgres'"))
                    .startsWith("SCRAM-SHA-256$");
            try (Connection c = server.dataSource(EmbeddedPostgresServer.DATABASE).getConnection()) {
                assertThat(c.isValid(2)).as("the server's own data source gives the password").isTrue();
            }
        }
        try (EmbeddedPostgresServer again = EmbeddedPostgresServer.durable(pgdata)) {
            assertThat(again.password()).contains(password);
            assertThat(select(again, password, "SELECT 1")).isEqualTo("1");
            assertThatThrownBy(() -> connect(again, null)).isInstanceOf(SQLException.class);
        }
    }

    @Test
    @Timeout(180)
    void a_lost_password_file_stops_the_start_with_a_message_naming_it() throws Exception {
        Path pgdata = temp.resolve("pgdata");
        EmbeddedPostgresServer.durable(pgdata).close();
        Files.delete(EmbeddedPostgresServer.passwordFile(pgdata));

        assertThatThrownBy(() -> EmbeddedPostgresServer.durable(pgdata)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refuses the password in " + EmbeddedPostgresServer.passwordFile(pgdata))
                .hasMessageContaining("the file is missing").hasMessageContaining("quarkus.datasource.jdbc.url");
        assertThat(Files.exists(pgdata.resolve("postmaster.pid"))).as("no server was left running").isFalse();
        assertThat(Files.exists(EmbeddedPostgresServer.passwordFile(pgdata))).as("no new password was made").isFalse();
    }

    private static Connection connect(EmbeddedPostgresServer server, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", EmbeddedPostgresServer.USER);
        if (password != null) {
            properties.setProperty("password", password);
        }
        return DriverManager.getConnection(server.jdbcUrl(), properties);
    }

    private static String select(EmbeddedPostgresServer server, String password, String sql) throws SQLException {
        try (Connection c = connect(server, password); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
