package io.drover.orchestrator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.persistence.Database;
import io.drover.persistence.job.JobState;
import io.drover.persistence.job.JobStore;
import java.sql.SQLException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.sql.DataSource;

/** Specs of many items and what the database says of their jobs, for the multi-process tests. */
public final class JobChecks {
    private JobChecks() {
    }

    /** A spec fanning out to items 0..items-1, each running {@code command}. */
    public static String itemsSpec(String name, int items, String command) {
        String list = IntStream.range(0, items).mapToObj(Integer::toString).collect(Collectors.joining(","));
        return "{\"metadata\": {\"name\": \"" + name + "\"}, \"spec\": {\"fanout\": {\"items\": [" + list + "]},"
                + " \"task\": {\"command\": \"" + command + "\"}}}";
    }

    public static long succeeded(DataSource ds, long jobId) throws SQLException {
        return Sql.scalar(ds, "SELECT count(*) FROM subtask WHERE state = 'SUCCEEDED' AND job_id = " + jobId);
    }

    public static JobState state(DataSource ds, long jobId) {
        return new JobStore(new Database(ds)).find(jobId).orElseThrow().state();
    }

    /** Every subtask of the job succeeded, with exactly one succeeded attempt each, and none is left running. */
    public static void assertExactlyOnce(DataSource ds, long jobId, int subtasks) throws SQLException {
        assertThat(succeeded(ds, jobId)).isEqualTo(subtasks);
        assertThat(Sql.scalar(ds, "SELECT count(DISTINCT subtask_id) FROM attempt WHERE state = 'SUCCEEDED'"
                + " AND job_id = " + jobId)).as("subtasks with a recorded success").isEqualTo(subtasks);
        assertThat(Sql.scalar(ds, "SELECT count(*) FROM attempt WHERE state = 'SUCCEEDED' AND job_id = " + jobId))
                .as("one recorded success per subtask").isEqualTo(subtasks);
        assertThat(Sql.scalar(ds, "SELECT count(*) FROM attempt WHERE state = 'RUNNING' AND job_id = " + jobId))
                .as("left running").isZero();
    }
}
