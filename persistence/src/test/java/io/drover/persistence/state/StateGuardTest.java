package io.drover.persistence.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.persistence.Database;
import io.drover.persistence.PersistenceException;
import io.drover.persistence.attempt.AttemptState;
import io.drover.persistence.job.JobState;
import io.drover.persistence.job.JobStore;
import io.drover.persistence.job.NewJob;
import io.drover.persistence.subtask.SubtaskState;
import io.drover.persistence.testing.TestDatabases;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

/** The database's guard (migration V13) allows exactly the moves of the transition types. */
class StateGuardTest {
    private final Database db = TestDatabases.fresh();

    @Test
    void the_database_allows_the_moves_of_the_transition_types_and_no_other() {
        Set<String> expected = new TreeSet<>();
        expected.addAll(moves("job", JobState.class, JobState::canMoveTo));
        expected.addAll(moves("subtask", SubtaskState.class, SubtaskState::canMoveTo));
        expected.addAll(moves("attempt", AttemptState.class, AttemptState::canMoveTo));
        Set<String> stored = db.autoCommit(c -> {
            Set<String> rows = new TreeSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT machine || ' ' || from_state || '>' || to_state"
                    + " FROM state_transition"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
            return rows;
        });
        assertThat(stored).isEqualTo(expected);
    }

    @Test
    void a_move_outside_the_table_is_refused_by_the_database() {
        JobStore jobs = new JobStore(db);
        long job = jobs.insert(NewJob.of("guarded", "{}", "{}", "{}", "test")).id();
        jobs.expand(job, List.of("{}"));

        assertThatThrownBy(() -> db.autoCommit(c -> c.createStatement()
                .executeUpdate("UPDATE subtask SET state = 'SUCCEEDED' WHERE job_id = " + job)))
                .isInstanceOf(PersistenceException.class)
                .hasStackTraceContaining("may not move from PENDING to SUCCEEDED");
        int cancelled = db.autoCommit(c -> c.createStatement()
                .executeUpdate("UPDATE subtask SET state = 'CANCELLED' WHERE job_id = " + job));
        assertThat(cancelled).isEqualTo(1);
    }

    private static <S extends Enum<S>> List<String> moves(String machine, Class<S> type, BiPredicate<S, S> allowed) {
        return TransitionTableTest.moves(type, allowed).stream().map(move -> machine + " " + move).toList();
    }
}
