package io.drover.scheduler.gitsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.persistence.Database;
import io.drover.persistence.repo.NewRepo;
import io.drover.persistence.repo.RepoRecord;
import io.drover.persistence.repo.RepoStore;
import io.drover.persistence.schedule.Overlap;
import io.drover.persistence.schedule.ScheduleRecord;
import io.drover.persistence.schedule.ScheduleStore;
import io.drover.persistence.testing.TestDatabases;
import io.drover.scheduler.schedule.QuartzSettings;
import io.drover.scheduler.schedule.ScheduleTriggers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RepoSyncTest {
    private static final QuartzSettings QUARTZ = new QuartzSettings("drover-sync-test", 1, Duration.ofSeconds(1),
            Duration.ofSeconds(5), Duration.ofSeconds(1));

    private GitRepo git;
    private Path cache;
    private RepoStore repos;
    private ScheduleStore schedules;
    private ScheduleTriggers triggers;
    private RepoSyncer syncer;
    private long repoId;

    @BeforeEach
    void setUp() throws Exception {
        Database db = TestDatabases.fresh();
        git = new GitRepo();
        cache = Files.createTempDirectory("drover-test-cache");
        repos = new RepoStore(db);
        schedules = new ScheduleStore(db);
        // never started: syncing stores triggers, nothing fires during these tests
        triggers = ScheduleTriggers.create(db.dataSource(), QUARTZ, () -> null);
        syncer = syncer(cache.resolve("a"));
        repoId = repos.insert(new NewRepo(git.url(), "main", ".drover/*.yaml", null)).orElseThrow();
    }

    @AfterEach
    void tearDown() {
        triggers.close();
        git.close();
        GitRepo.deleteTree(cache);
    }

    private RepoSyncer syncer(Path cacheDir) {
        return new RepoSyncer(repos, schedules, new RepoReader(cacheDir), new SimpleSpecCheck(), name -> Optional.empty(),
                triggers);
    }

    static String spec(String name, String schedule) {
        return """
                metadata: {name: %s}
                spec:
                  task: {command: echo %s}
                %s""".formatted(name, name, schedule == null ? "" : "  schedule: " + schedule + "\n");
    }

    private Map<String, ScheduleRecord> owned() {
        return schedules.list().stream().filter(s -> repoId == s.repoId())
                .collect(Collectors.toMap(ScheduleRecord::name, s -> s));
    }

    @Test
    void a_commit_adds_changes_and_removes_schedules_on_the_next_sync() {
        String first = git.write(".drover/nightly.yaml", spec("nightly", "{cron: '0 0 2 * * ?', overlap: forbid}")
                        + "---\n" + spec("hourly", "{cron: '0 0 * * * ?'}"))
                .write(".drover/adhoc.yaml", spec("adhoc", null))
                .write("docs/not-a-spec.yaml", "this: is not matched by the glob\n")
                .commit("add specs");

        SyncReport report = syncer.sync(repoId).orElseThrow();

        assertThat(report.problems()).isEmpty();
        assertThat(report.commit()).isEqualTo(first);
        assertThat(owned()).containsOnlyKeys("nightly", "hourly");
        assertThat(owned().get("nightly").settings().overlap()).isEqualTo(Overlap.FORBID);
        assertThat(owned().get("hourly").repoLine()).as("the line its document starts at").isEqualTo(6);
        assertThat(repos.spec(repoId, "adhoc")).get().satisfies(s -> {
            assertThat(s.scheduled()).isFalse();
            assertThat(s.commit()).isEqualTo(first);
        });
        assertThat(triggers.reconcile(schedules.list())).as("triggers follow the schedules").isZero();

        String second = git.write(".drover/nightly.yaml", spec("nightly", "{cron: '0 30 3 * * ?', timeZone: Europe/Paris}"))
                .delete(".drover/adhoc.yaml").commit("change nightly, drop hourly and adhoc");
        SyncReport again = syncer.sync(repoId).orElseThrow();

        assertThat(again.changes().upsertedSchedules()).containsExactly(owned().get("nightly").id());
        assertThat(again.changes().removedSchedules()).hasSize(1);
        assertThat(owned()).containsOnlyKeys("nightly");
        assertThat(owned().get("nightly").settings().cron()).isEqualTo("0 30 3 * * ?");
        assertThat(owned().get("nightly").settings().timeZone()).isEqualTo("Europe/Paris");
        assertThat(owned().get("nightly").repoCommit()).isEqualTo(second);
        assertThat(repos.spec(repoId, "adhoc")).isEmpty();
        assertThat(triggers.reconcile(schedules.list())).isZero();

        SyncReport unchanged = syncer.sync(repoId).orElseThrow();
        assertThat(unchanged.changes().upsertedSchedules()).as("an unchanged spec leaves its trigger alone").isEmpty();

        git.delete(".drover/nightly.yaml").commit("drop everything");
        syncer.sync(repoId);
        assertThat(owned()).isEmpty();
    }

    @Test
    void a_broken_spec_is_reported_with_its_path_and_line_while_the_others_apply() {
        git.write(".drover/a.yaml", spec("keeps", "{cron: '0 0 2 * * ?'}"))
                .write(".drover/b.yaml", spec("fine", "{cron: '0 0 1 * * ?'}")).commit("two schedules");
        syncer.sync(repoId);
        String keptCron = owned().get("keeps").settings().cron();

        git.write(".drover/a.yaml", spec("keeps", "{cron: 'every day', timeZone: Mars/Olympus}")
                        + "---\n" + spec("new-one", "{cron: '0 0 4 * * ?'}"))
                .write(".drover/b.yaml", spec("fine", "{cron: '0 0 5 * * ?'}"))
                .write(".drover/c.yaml", "metadata: {name: broken\nspec: [\n").commit("break some");
        SyncReport report = syncer.sync(repoId).orElseThrow();

        assertThat(report.problems()).extracting(p -> p.path() + ":" + p.line() + " " + p.field())
                .contains(".drover/a.yaml:4 spec.schedule.cron", ".drover/a.yaml:4 spec.schedule.timeZone");
        assertThat(report.problems()).anySatisfy(p -> {
            assertThat(p.path()).isEqualTo(".drover/c.yaml");
            assertThat(p.message()).startsWith("not valid YAML");
        });
        assertThat(owned()).containsOnlyKeys("keeps", "fine", "new-one");
        assertThat(owned().get("keeps").settings().cron()).as("the broken spec keeps its last good schedule")
                .isEqualTo(keptCron);
        assertThat(owned().get("fine").settings().cron()).isEqualTo("0 0 5 * * ?");
        RepoRecord repo = repos.find(repoId).orElseThrow();
        assertThat(repo.lastSyncProblemsJson()).contains("\"path\": \".drover/a.yaml\"", "\"line\": 4");
        assertThat(repo.lastSyncError()).isNull();
    }

    @Test
    void two_instances_syncing_one_repository_create_each_schedule_once() throws Exception {
        git.write(".drover/many.yaml", List.of("a", "b", "c", "d", "e").stream()
                .map(n -> spec(n, "{cron: '0 0 " + (n.charAt(0) - 'a') + " * * ?'}")).collect(Collectors.joining("---\n")))
                .commit("five schedules");
        RepoSyncer other = syncer(cache.resolve("b"));

        CompletableFuture<Optional<SyncReport>> one = CompletableFuture.supplyAsync(() -> syncer.sync(repoId));
        CompletableFuture<Optional<SyncReport>> two = CompletableFuture.supplyAsync(() -> other.sync(repoId));
        int upserts = one.get().orElseThrow().changes().upsertedSchedules().size()
                + two.get().orElseThrow().changes().upsertedSchedules().size();

        assertThat(schedules.list()).hasSize(5);
        assertThat(upserts).as("the second sync found nothing to change").isEqualTo(5);
    }

    @Test
    void an_unreadable_repository_records_the_error_and_keeps_its_schedules() {
        git.write(".drover/a.yaml", spec("stays", "{cron: '0 0 2 * * ?'}")).commit("one");
        syncer.sync(repoId);
        long missing = repos.insert(new NewRepo(git.url(), "no-such-branch", ".drover/*.yaml", null)).orElseThrow();

        SyncReport report = syncer.sync(missing).orElseThrow();

        assertThat(report.error()).contains("no-such-branch");
        assertThat(repos.find(missing).orElseThrow().lastSyncError()).contains("no-such-branch");
        assertThat(owned()).containsOnlyKeys("stays");
    }
}
