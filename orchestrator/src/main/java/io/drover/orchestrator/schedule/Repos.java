package io.drover.orchestrator.schedule;

import io.drover.orchestrator.api.ConflictException;
import io.drover.orchestrator.api.InvalidRequestException;
import io.drover.orchestrator.api.NotFoundException;
import io.drover.orchestrator.job.JobOrigin;
import io.drover.orchestrator.job.JobSubmission;
import io.drover.orchestrator.spec.FieldError;
import io.drover.persistence.repo.NewRepo;
import io.drover.persistence.repo.RepoRecord;
import io.drover.persistence.repo.RepoSpec;
import io.drover.persistence.repo.RepoStore;
import io.drover.persistence.schedule.ScheduleStore;
import io.drover.scheduler.gitsync.RepoReader;
import io.drover.scheduler.gitsync.RepoSyncer;
import io.drover.scheduler.gitsync.SecretLookup;
import io.drover.scheduler.gitsync.SyncReport;
import io.drover.scheduler.schedule.ScheduleTriggers;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Registered git repositories: registration, sync on demand, removal, and running a spec by name. */
public final class Repos {
    private static final Set<String> SCHEMES = Set.of("file", "https", "http", "ssh", "git");

    private final RepoStore store;
    private final ScheduleStore schedules;
    private final RepoSyncer syncer;
    private final RepoReader reader;
    private final ScheduleTriggers triggers;
    private final SecretLookup secrets;
    private final JobSubmission submission;

    public Repos(RepoStore store, ScheduleStore schedules, RepoSyncer syncer, RepoReader reader,
            ScheduleTriggers triggers, SecretLookup secrets, JobSubmission submission) {
        this.store = store;
        this.schedules = schedules;
        this.syncer = syncer;
        this.reader = reader;
        this.triggers = triggers;
        this.secrets = secrets;
        this.submission = submission;
    }

    /** Registers the repository and syncs it once; a failed first sync is reported on the repository, not undone. */
    public long register(String tenant, String url, String branch, String pathGlob, String secret) {
        List<FieldError> errors = new ArrayList<>();
        checkUrl(url, errors);
        if (branch == null || branch.isBlank() || branch.startsWith("refs/")) {
            errors.add(new FieldError("branch", "must be a branch name such as main"));
        }
        if (pathGlob == null || pathGlob.isBlank() || pathGlob.startsWith("/")) {
            errors.add(new FieldError("path", "must be a glob relative to the repository root, e.g. .drover/*.yaml"));
        }
        if (secret != null && secrets.find(secret).isEmpty()) {
            errors.add(new FieldError("secret", "no secret named " + secret + " is configured; set"
                    + " drover.git.secrets." + secret + ".password on every instance"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        long id = store.insert(new NewRepo(url, branch, pathGlob, secret, tenant)).orElseThrow(() -> new ConflictException(
                "repository " + url + " (branch " + branch + ", path " + pathGlob + ") is registered already"));
        syncer.sync(id);
        return id;
    }

    public SyncReport sync(long id) {
        return syncer.sync(id).orElseThrow(() -> new NotFoundException("repository " + id));
    }

    public RepoRecord find(long id) {
        return store.find(id).orElseThrow(() -> new NotFoundException("repository " + id));
    }

    /** Deletes the repository and the schedules it owns; jobs they started stay. */
    public void delete(long id) {
        find(id);
        List<Long> owned = schedules.ownedBy(id);
        store.delete(id);
        owned.forEach(triggers::remove);
        reader.forget(id);
    }

    /** Submits the named spec of the last sync as a one-off job (a scheduled spec runs without its schedule). */
    public long run(long id, String name) {
        RepoRecord repo = find(id);
        RepoSpec spec = store.spec(id, name).orElseThrow(() -> new NotFoundException("spec " + name
                + " in the last sync of repository " + id));
        return submission.submit(Documents.withoutSchedule(spec.specJson()), new JobOrigin("git", null, spec.commit(), repo.tenant()));
    }

    private static void checkUrl(String url, List<FieldError> errors) {
        if (url == null || url.isBlank()) {
            errors.add(new FieldError("url", "is required: a URL git can clone (file://, https://, ssh://)"));
            return;
        }
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || !SCHEMES.contains(uri.getScheme())) {
                errors.add(new FieldError("url", "must be a file://, https:// or ssh:// URL"));
            } else if (uri.getRawUserInfo() != null && uri.getRawUserInfo().contains(":")) {
                errors.add(new FieldError("url", "must not contain a password; name a configured secret instead"));
            }
        } catch (URISyntaxException e) {
            errors.add(new FieldError("url", "is not a URL (" + e.getReason() + ")"));
        }
    }
}
