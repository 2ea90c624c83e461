package io.drover.scheduler.schedule;

import java.util.Properties;
import java.util.UUID;
import javax.sql.DataSource;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.spi.JobFactory;
import org.quartz.utils.DBConnectionManager;

/**
 * Builds a clustered Quartz scheduler on Drover's PostgreSQL (tables from migration V3): JobStoreTX
 * with the PostgreSQL delegate over the application's DataSource, instance id AUTO. Plain Java, so
 * that tests can run two instances on one database without an application around them.
 */
public final class QuartzFactory {
    private QuartzFactory() {
    }

    public static Scheduler create(DataSource dataSource, QuartzSettings settings, JobFactory jobFactory) {
        // Quartz finds connection providers by name in a JVM-wide registry: a unique name per scheduler
        // keeps two schedulers in one JVM (tests) on their own data sources.
        String dataSourceName = "drover-" + UUID.randomUUID();
        DBConnectionManager.getInstance().addConnectionProvider(dataSourceName, new DataSourceConnections(dataSource));
        Properties p = new Properties();
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, settings.clusterName());
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_ID, StdSchedulerFactory.AUTO_GENERATE_INSTANCE_ID);
        p.setProperty(StdSchedulerFactory.PROP_SCHED_CLASS_LOAD_HELPER_CLASS, OwnClassLoadHelper.class.getName());
        p.setProperty("org.quartz.scheduler.threadsInheritContextClassLoaderOfInitializer", "true");
        p.setProperty("org.quartz.scheduler.idleWaitTime", Long.toString(settings.idleWait().toMillis()));
        p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(settings.threads()));
        p.setProperty("org.quartz.threadPool.threadNamePrefix", "drover-schedule");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.dataSource", dataSourceName);
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", Long.toString(settings.checkinInterval().toMillis()));
        p.setProperty("org.quartz.jobStore.misfireThreshold", Long.toString(settings.misfireThreshold().toMillis()));
        // job data holds only the schedule id, as a string: no Java serialization in the database
        p.setProperty("org.quartz.jobStore.useProperties", "true");
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        // Quartz loads its helper classes through the context loader: make that Drover's own loader
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(QuartzFactory.class.getClassLoader());
        try {
            Scheduler scheduler = new StdSchedulerFactory(p).getScheduler();
            // Quartz also keeps schedulers in a JVM-wide registry by name and would hand a second
            // instance of the cluster the first one; Drover holds its own reference instead.
            SchedulerRepository.getInstance().remove(settings.clusterName());
            scheduler.setJobFactory(jobFactory);
            return scheduler;
        } catch (SchedulerException e) {
            throw new IllegalStateException("could not create the Quartz scheduler: " + e.getMessage(), e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
