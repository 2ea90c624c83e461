package io.drover.scheduler.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.persistence.Database;
import io.drover.persistence.job.JobState;
import io.drover.persistence.job.JobStore;
import io.drover.persistence.schedule.FireOutcome;
import io.drover.persistence.schedule.FireRecord;
import io.drover.persistence.schedule.FireTrigger;
import io.drover.persistence.schedule.Overlap;
import io.drover.persistence.schedule.ScheduleStore;
import io.drover.persistence.testing.TestDatabases;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ScheduleFiringTest {
    private ScheduleStore schedules;
    private JobStore jobStore;
    private RecordingJobs jobs;
    private ScheduleTriggers triggers;
    private ScheduleFirer firer;

    @BeforeEach
    void setUp() {
        Database db = TestDatabases.fresh();
        schedules = new ScheduleStore(db);
        jobStore = new JobStore(db);
        jobs = new RecordingJobs(jobStore);
        firer = new ScheduleFirer(schedules, jobs, "test");
        triggers = ScheduleTriggers.create(db.dataSource(), Settings.QUARTZ, () -> firer);
        triggers.start();
    }

    @AfterEach
    void tearDown() {
        triggers.close();
    }

    @Test
    void a_per_second_cron_fires_every_second_on_time_and_records_each_fire() {
        long id = schedules.insert("every-second", "{}", Settings.everySecond(Overlap.ALLOW));
        triggers.put(id, Settings.everySecond(Overlap.ALLOW));

        await().atMost(Duration.ofSeconds(8)).until(() -> schedules.fires(id, 10).size() >= 3);
        triggers.remove(id);

        List<FireRecord> fires = schedules.fires(id, 10);
        assertThat(fires).allSatisfy(f -> {
            assertThat(f.outcome()).isEqualTo(FireOutcome.STARTED);
            assertThat(f.trigger()).isEqualTo(FireTrigger.CRON);
            assertThat(f.jobId()).isNotNull();
            assertThat(f.scheduledAt().getNano()).as("on a whole second").isZero();
            assertThat(Duration.between(f.scheduledAt(), f.firedAt())).as("fired on time, well within the misfire"
                    + " threshold (the first fire may wait for the scheduler's start)").isLessThan(Duration.ofSeconds(2));
        });
        System.out.println("Lateness of per-second fires: " + fires.stream()
                .map(f -> Duration.between(f.scheduledAt(), f.firedAt()).toMillis() + " ms").toList());
        assertThat(fires).extracting(FireRecord::scheduledAt).doesNotHaveDuplicates();
        assertThat(schedules.lastJob(id)).get().extracting(j -> j.id()).isEqualTo(fires.get(0).jobId());
    }

    @Test
    void forbid_skips_fires_while_the_previous_job_runs_and_starts_again_once_it_ended() {
        long id = schedules.insert("forbid", "{}", Settings.everySecond(Overlap.FORBID));

        FireResult first = firer.fire(id, FireTrigger.MANUAL, null);
        FireResult second = firer.fire(id, FireTrigger.MANUAL, null);

        assertThat(first.outcome()).contains(FireOutcome.STARTED);
        assertThat(second.outcome()).contains(FireOutcome.SKIPPED);
        assertThat(second.reason()).isEqualTo("job " + first.jobId() + " is still SUBMITTED (overlap: forbid)");
        jobStore.cancel(first.jobId());
        assertThat(jobStore.completeIfDone(first.jobId())).contains(JobState.CANCELLED);
        assertThat(firer.fire(id, FireTrigger.MANUAL, null).outcome()).contains(FireOutcome.STARTED);
        assertThat(schedules.fires(id, 10)).extracting(FireRecord::outcome)
                .containsExactly(FireOutcome.STARTED, FireOutcome.SKIPPED, FireOutcome.STARTED);
    }

    @Test
    void replace_cancels_the_running_job_and_starts_a_new_one() {
        long id = schedules.insert("replace", "{}", Settings.everySecond(Overlap.REPLACE));

        FireResult first = firer.fire(id, FireTrigger.MANUAL, null);
        FireResult second = firer.fire(id, FireTrigger.MANUAL, null);

        assertThat(second.outcome()).contains(FireOutcome.STARTED);
        assertThat(second.jobId()).isNotEqualTo(first.jobId());
        assertThat(jobs.cancelled).containsExactly(first.jobId());
        assertThat(jobStore.find(first.jobId()).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
        assertThat(second.reason()).contains("cancelled job " + first.jobId());
    }

    @Test
    void a_suspended_schedule_does_not_fire_until_resumed() {
        var settings = Settings.everySecond(Overlap.ALLOW).withSuspended(true);
        long id = schedules.insert("suspended", "{}", settings);
        triggers.put(id, settings);

        assertThat(triggers.reconcile(schedules.list())).as("a paused trigger matches a suspended schedule").isZero();
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(3)).until(() -> schedules.fires(id, 1).isEmpty());
        schedules.setSuspended(id, false);
        triggers.resume(id);
        await().atMost(Duration.ofSeconds(5)).until(() -> !schedules.fires(id, 1).isEmpty());
        triggers.remove(id);
    }

    @Test
    void reconcile_adds_missing_triggers_and_removes_orphans() {
        long kept = schedules.insert("kept", "{}", Settings.everySecond(Overlap.ALLOW).withSuspended(true));
        long gone = schedules.insert("gone", "{}", Settings.everySecond(Overlap.ALLOW).withSuspended(true));
        triggers.put(gone, Settings.everySecond(Overlap.ALLOW).withSuspended(true));
        schedules.delete(gone);

        assertThat(triggers.reconcile(schedules.list())).isEqualTo(2);
        assertThat(triggers.reconcile(schedules.list())).as("nothing left to fix").isZero();
        assertThat(kept).isPositive();
    }
}
