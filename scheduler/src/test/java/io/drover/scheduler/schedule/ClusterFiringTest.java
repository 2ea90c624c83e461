package io.drover.scheduler.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.persistence.Database;
import io.drover.persistence.job.JobStore;
import io.drover.persistence.schedule.FireRecord;
import io.drover.persistence.schedule.Overlap;
import io.drover.persistence.schedule.ScheduleStore;
import io.drover.persistence.testing.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Two Drover instances (two Quartz schedulers of one cluster) on one database, as in production. */
class ClusterFiringTest {

    @Test
    void two_instances_on_one_database_fire_each_trigger_once() {
        Database db = TestDatabases.fresh();
        ScheduleStore schedules = new ScheduleStore(db);
        RecordingJobs jobs = new RecordingJobs(new JobStore(db));
        ScheduleFirer firerA = new ScheduleFirer(schedules, jobs, "a");
        ScheduleFirer firerB = new ScheduleFirer(schedules, jobs, "b");
        // closing twice is harmless: Quartz ignores a second shutdown
        try (ScheduleTriggers a = ScheduleTriggers.create(db.dataSource(), Settings.QUARTZ, () -> firerA);
                ScheduleTriggers b = ScheduleTriggers.create(db.dataSource(), Settings.QUARTZ, () -> firerB)) {
            a.start();
            b.start();
            assertThat(a.instanceId()).isNotEqualTo(b.instanceId());
            long first = schedules.insert("first", "{}", Settings.everySecond(Overlap.ALLOW));
            long second = schedules.insert("second", "{}", Settings.everySecond(Overlap.ALLOW));
            a.put(first, Settings.everySecond(Overlap.ALLOW));
            b.put(second, Settings.everySecond(Overlap.ALLOW));

            await().atMost(Duration.ofSeconds(10)).until(() ->
                    schedules.fires(first, 100).size() >= 4 && schedules.fires(second, 100).size() >= 4);
            a.close();
            int beforeStop = schedules.fires(first, 100).size();
            // if the stopped instance held the trigger acquired, Quartz's cluster recovery releases it
            // only after the check-in interval plus 7.5 s, hence the window
            await("the surviving instance keeps firing").atMost(Duration.ofSeconds(25))
                    .until(() -> schedules.fires(first, 100).size() >= beforeStop + 2);
            b.remove(first);
            b.remove(second);

            for (long id : List.of(first, second)) {
                Map<Instant, Long> perSecond = schedules.fires(id, 100).stream()
                        .collect(Collectors.groupingBy(FireRecord::scheduledAt, Collectors.counting()));
                assertThat(perSecond).as("each scheduled second fired by one instance only")
                        .allSatisfy((at, n) -> assertThat(n).isOne());
            }
            assertThat(jobs.started).doesNotHaveDuplicates();
            Map<String, Long> byInstance = schedules.fires(first, 100).stream()
                    .collect(Collectors.groupingBy(FireRecord::instance, Collectors.counting()));
            System.out.println("Fires of one per-second schedule by instance: " + byInstance);
            assertThat(byInstance).containsKey("b");
        }
    }
}
