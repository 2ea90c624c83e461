package io.drover.persistence.attempt;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.persistence.Database;
import io.drover.persistence.instance.InstanceStore;
import io.drover.persistence.job.JobStore;
import io.drover.persistence.job.NewJob;
import io.drover.persistence.subtask.SubtaskStore;
import io.drover.persistence.testing.TestDatabases;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AttemptLogsTest {

    @Test
    void the_log_of_a_subtask_is_found_on_the_instance_and_node_that_ran_its_latest_attempt() {
        Database db = TestDatabases.fresh();
        JobStore jobs = new JobStore(db);
        long job = jobs.insert(NewJob.of("logs", "{}", "{}", "{}", "test")).id();
        assertThat(jobs.expand(job, List.of("{\"item\":\"a\"}"))).isTrue();
        new InstanceStore(db).register("w1", "node-a", "worker", "http://127.0.0.1:9001");
        AttemptLogs logs = new AttemptLogs(db);

        assertThat(logs.latest(job, 0)).as("not run yet").isEmpty();
        assertThat(new SubtaskStore(db).claim("w1", 1)).hasSize(1);
        assertThat(logs.latest(job, 0)).as("running, no log recorded yet").isEmpty();
        sql(db, "UPDATE attempt SET log_path = '/data/logs/a.log' WHERE job_id = " + job);

        LogLocation log = logs.latest(job, 0).orElseThrow();
        assertThat(log.owner()).isEqualTo("w1");
        assertThat(log.node()).isEqualTo("node-a");
        assertThat(log.path()).isEqualTo("/data/logs/a.log");

        sql(db, "DELETE FROM instance WHERE id = 'w1'");
        assertThat(logs.latest(job, 0).orElseThrow().node()).as("a forgotten instance's node is unknown").isNull();
    }

    private static void sql(Database db, String sql) {
        db.autoCommit(c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate(sql);
            }
        });
    }
}
