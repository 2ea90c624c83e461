package io.drover.orchestrator.config;

import io.drover.orchestrator.job.JobCompletion;
import io.drover.orchestrator.job.JobSubmission;
import io.drover.orchestrator.schedule.Repos;
import io.drover.orchestrator.schedule.Schedules;
import io.drover.orchestrator.schedule.SubmittingJobControl;
import io.drover.orchestrator.schedule.ValidatedSpecCheck;
import io.drover.orchestrator.spec.SpecValidator;
import io.drover.persistence.Database;
import io.drover.persistence.job.JobStore;
import io.drover.persistence.repo.RepoStore;
import io.drover.persistence.schedule.ScheduleStore;
import io.drover.scheduler.gitsync.GitCredentials;
import io.drover.scheduler.gitsync.RepoReader;
import io.drover.scheduler.gitsync.RepoSyncer;
import io.drover.scheduler.gitsync.SecretLookup;
import io.drover.scheduler.schedule.QuartzSettings;
import io.drover.scheduler.schedule.ScheduleFirer;
import io.drover.scheduler.schedule.ScheduleTriggers;
import io.drover.workers.attempt.RunningAttempts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;

/** Wires the scheduler core (schedules and git sync) into CDI. */
@ApplicationScoped
public class SchedulerBeans {

    @Produces
    @Singleton
    ScheduleStore scheduleStore(Database db) {
        return new ScheduleStore(db);
    }

    @Produces
    @Singleton
    RepoStore repoStore(Database db) {
        return new RepoStore(db);
    }

    /** Stopped until {@code SchedulerLifecycle} starts it; the firer is looked up at the first fire. */
    @Produces
    @Singleton
    ScheduleTriggers scheduleTriggers(Database db, SchedulerConfig config, Instance<ScheduleFirer> firer) {
        QuartzSettings settings = new QuartzSettings(config.clusterName(), config.threads(), config.checkinInterval(),
                config.misfireThreshold(), config.idleWait());
        return ScheduleTriggers.create(db.dataSource(), settings, firer::get);
    }

    @Produces
    @Singleton
    ScheduleFirer scheduleFirer(ScheduleStore schedules, JobSubmission submission, JobStore jobs,
            RunningAttempts running, JobCompletion completion, ScheduleTriggers triggers) {
        return new ScheduleFirer(schedules, new SubmittingJobControl(submission, jobs, running, completion),
                triggers.instanceId());
    }

    @Produces
    @Singleton
    Schedules schedules(SpecValidator validator, ScheduleStore store, ScheduleTriggers triggers, ScheduleFirer firer) {
        return new Schedules(validator, store, triggers, firer);
    }

    @Produces
    @Singleton
    SecretLookup secretLookup(GitConfig config) {
        return name -> Optional.ofNullable(config.secrets().get(name))
                .map(s -> new GitCredentials(s.username(), s.password()));
    }

    @Produces
    @Singleton
    RepoReader repoReader(GitConfig git, DroverConfig config) {
        return new RepoReader(git.cacheDir().orElse(config.dataDir().resolve("git")));
    }

    @Produces
    @Singleton
    RepoSyncer repoSyncer(RepoStore repos, ScheduleStore schedules, RepoReader reader, SpecValidator validator,
            SecretLookup secrets, ScheduleTriggers triggers) {
        return new RepoSyncer(repos, schedules, reader, new ValidatedSpecCheck(validator), secrets, triggers);
    }

    @Produces
    @Singleton
    Repos repos(RepoStore store, ScheduleStore schedules, RepoSyncer syncer, RepoReader reader,
            ScheduleTriggers triggers, SecretLookup secrets, JobSubmission submission) {
        return new Repos(store, schedules, syncer, reader, triggers, secrets, submission);
    }
}
