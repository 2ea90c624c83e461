package io.drover.scheduler.schedule;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.quartz.utils.ConnectionProvider;

/** Lends Quartz connections from Drover's own pool, so that Quartz needs no second pool or configuration. */
final class DataSourceConnections implements ConnectionProvider {
    private final DataSource dataSource;

    DataSourceConnections(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return dataSource.getConnection();
    }

    @Override
    public void shutdown() {
        // the pool belongs to the application, which closes it
    }

    @Override
    public void initialize() {
        // nothing to set up: the pool exists already
    }
}
