package io.drover.persistence.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(5, 1_000, 2.0, 5_000,
            Set.of("nonzero-exit", "timeout"), Set.of(), Set.of(2));

    @Test
    void backoff_grows_by_the_multiplier_up_to_its_cap_with_full_jitter() {
        assertThat(policy.retryDelay(FailureClass.NONZERO_EXIT, 1, 1, () -> 1.0)).contains(Duration.ofMillis(1_000));
        assertThat(policy.retryDelay(FailureClass.NONZERO_EXIT, 1, 2, () -> 1.0)).contains(Duration.ofMillis(2_000));
        assertThat(policy.retryDelay(FailureClass.NONZERO_EXIT, 1, 3, () -> 1.0)).contains(Duration.ofMillis(4_000));
        assertThat(policy.retryDelay(FailureClass.NONZERO_EXIT, 1, 4, () -> 1.0)).contains(Duration.ofMillis(5_000));
        assertThat(policy.retryDelay(FailureClass.NONZERO_EXIT, 1, 3, () -> 0.25)).contains(Duration.ofMillis(1_000));
        assertThat(policy.retryDelay(FailureClass.NONZERO_EXIT, 1, 3, () -> 0.0)).contains(Duration.ZERO);
    }

    @Test
    void the_last_attempt_is_not_retried() {
        assertThat(policy.retryDelay(FailureClass.NONZERO_EXIT, 1, 5, () -> 1.0)).isEmpty();
    }

    @Test
    void only_the_listed_classes_are_retried_and_do_not_retry_codes_win() {
        assertThat(policy.retryDelay(FailureClass.TIMEOUT, null, 1, () -> 1.0)).isPresent();
        assertThat(policy.retryDelay(FailureClass.OOM, 137, 1, () -> 1.0)).isEmpty();
        assertThat(policy.retryDelay(FailureClass.SANDBOX_LOST, null, 1, () -> 1.0)).isEmpty();
        assertThat(policy.retryDelay(FailureClass.NONZERO_EXIT, 2, 1, () -> 1.0)).isEmpty();
        assertThat(policy.retryDelay(FailureClass.CANCELLED, null, 1, () -> 1.0)).isEmpty();
        assertThat(policy.retriesLost()).isFalse();
    }

    @Test
    void a_full_disk_is_never_retried_even_by_a_policy_that_names_it() {
        RetryPolicy everything = new RetryPolicy(5, 10, 2.0, 100, Set.of("nonzero-exit", "disk-quota"), Set.of(),
                Set.of());

        assertThat(Retries.afterFailure(everything, FailureClass.DISK_QUOTA, 1, 1, () -> 1.0)).isEmpty();
        assertThat(Retries.afterFailure(everything, FailureClass.NONZERO_EXIT, 1, 1, () -> 1.0)).isPresent();
        assertThat(java.util.Arrays.asList(FailureClass.RETRYABLE)).doesNotContain(FailureClass.DISK_QUOTA);
        assertThat(FailureClass.ofCode("disk-quota")).contains(FailureClass.DISK_QUOTA);
    }

    @Test
    void nonzero_exit_can_be_narrowed_to_some_exit_codes() {
        RetryPolicy narrow = new RetryPolicy(3, 10, 2.0, 100, Set.of("nonzero-exit"), Set.of(75), Set.of());
        assertThat(narrow.retryDelay(FailureClass.NONZERO_EXIT, 75, 1, () -> 1.0)).isPresent();
        assertThat(narrow.retryDelay(FailureClass.NONZERO_EXIT, 1, 1, () -> 1.0)).isEmpty();
    }

    @Test
    void no_policy_never_retries() {
        assertThat(RetryPolicy.NONE.retryDelay(FailureClass.NONZERO_EXIT, 1, 1, () -> 1.0)).isEmpty();
    }
}
