package io.drover.persistence.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.persistence.attempt.AttemptState;
import io.drover.persistence.attempt.AttemptTransition;
import io.drover.persistence.job.JobState;
import io.drover.persistence.job.JobTransition;
import io.drover.persistence.subtask.SubtaskState;
import io.drover.persistence.subtask.SubtaskTransition;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

/** The three state machines, move by move: a change to a table shows up here and in docs/architecture.md. */
class TransitionTableTest {

    @Test
    void a_job_moves_only_as_its_table_allows() {
        assertThat(moves(JobState.class, JobState::canMoveTo)).containsExactlyInAnyOrder(
                "SUBMITTED>RUNNING", "SUBMITTED>SUCCEEDED", "SUBMITTED>FAILED", "SUBMITTED>CANCELLED",
                "SUBMITTED>BUDGET_EXCEEDED",
                "RUNNING>SUCCEEDED", "RUNNING>FAILED", "RUNNING>CANCELLED", "RUNNING>BUDGET_EXCEEDED",
                "SUCCEEDED>RUNNING", "FAILED>RUNNING", "CANCELLED>RUNNING");
    }

    @Test
    void a_subtask_moves_only_as_its_table_allows() {
        assertThat(moves(SubtaskState.class, SubtaskState::canMoveTo)).containsExactlyInAnyOrder(
                "PENDING>RUNNING", "PENDING>CANCELLED",
                "RUNNING>SUCCEEDED", "RUNNING>FAILED", "RUNNING>CANCELLED", "RUNNING>PENDING",
                "FAILED>PENDING", "CANCELLED>PENDING");
    }

    @Test
    void an_attempt_ends_once_and_never_moves_again() {
        assertThat(moves(AttemptState.class, AttemptState::canMoveTo)).containsExactlyInAnyOrder(
                "RUNNING>SUCCEEDED", "RUNNING>FAILED", "RUNNING>CANCELLED", "RUNNING>LOST");
    }

    @Test
    void every_state_is_reached_from_the_initial_one() {
        assertThat(reachable(JobState.INITIAL, JobState::canMoveTo)).isEqualTo(EnumSet.allOf(JobState.class));
        assertThat(reachable(SubtaskState.INITIAL, SubtaskState::canMoveTo)).isEqualTo(EnumSet.allOf(SubtaskState.class));
        assertThat(reachable(AttemptState.INITIAL, AttemptState::canMoveTo)).isEqualTo(EnumSet.allOf(AttemptState.class));
    }

    @Test
    void a_succeeded_subtask_and_a_job_over_budget_never_move_again() {
        for (SubtaskState next : SubtaskState.values()) {
            assertThat(SubtaskState.SUCCEEDED.canMoveTo(next)).as("SUCCEEDED > " + next).isFalse();
        }
        for (JobState next : JobState.values()) {
            assertThat(JobState.BUDGET_EXCEEDED.canMoveTo(next)).as("BUDGET_EXCEEDED > " + next).isFalse();
        }
    }

    @Test
    void guards_and_targets_are_the_sql_of_the_table() {
        assertThat(SubtaskTransition.CLAIM.guard("s.state")).isEqualTo("s.state = 'PENDING'");
        assertThat(SubtaskTransition.CLAIM.into()).isEqualTo("'RUNNING'");
        assertThat(SubtaskTransition.RETRY.guard("state")).isEqualTo("state IN ('FAILED', 'CANCELLED')");
        assertThat(JobTransition.END.guard("j.state")).isEqualTo("j.state IN ('SUBMITTED', 'RUNNING')");
        assertThat(JobTransition.END.into(JobState.BUDGET_EXCEEDED)).isEqualTo("'BUDGET_EXCEEDED'");
        assertThat(AttemptTransition.LOSE.into()).isEqualTo("'LOST'");
    }

    @Test
    void a_target_outside_the_transition_is_refused() {
        assertThatThrownBy(() -> SubtaskTransition.END.into(SubtaskState.RUNNING))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not to RUNNING");
        assertThatThrownBy(() -> JobTransition.REOPEN.checked(JobState.SUCCEEDED))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AttemptTransition.END.into()).isInstanceOf(IllegalStateException.class);
    }

    private static <S extends Enum<S>> Set<String> moves(Class<S> type, BiPredicate<S, S> allowed) {
        Set<String> moves = new TreeSet<>();
        for (S from : type.getEnumConstants()) {
            for (S to : type.getEnumConstants()) {
                if (allowed.test(from, to)) {
                    moves.add(from + ">" + to);
                }
            }
        }
        return moves;
    }

    private static <S extends Enum<S>> Set<S> reachable(S initial, BiPredicate<S, S> allowed) {
        Set<S> seen = EnumSet.of(initial);
        Deque<S> next = new ArrayDeque<>(seen);
        while (!next.isEmpty()) {
            S from = next.pop();
            for (S to : from.getDeclaringClass().getEnumConstants()) {
                if (allowed.test(from, to) && seen.add(to)) {
                    next.push(to);
                }
            }
        }
        return seen;
    }
}
