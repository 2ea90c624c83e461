package io.drover.scheduler.gitsync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.persistence.repo.RepoRecord;
import io.drover.persistence.repo.RepoStore;
import io.drover.persistence.repo.SyncChanges;
import io.drover.persistence.repo.SyncResult;
import io.drover.persistence.repo.SyncedSpec;
import io.drover.persistence.schedule.ScheduleStore;
import io.drover.scheduler.schedule.FieldProblem;
import io.drover.scheduler.schedule.ScheduleTriggers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a repository's specs into Drover: valid specs with a schedule become schedules owned by the
 * repository (added, changed or removed with their files), the others can be run by name. A spec
 * that fails validation is reported with its file and line and keeps whatever it had before; the
 * other specs apply regardless.
 */
public final class RepoSyncer {
    private static final Logger LOG = LoggerFactory.getLogger(RepoSyncer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RepoStore repos;
    private final ScheduleStore schedules;
    private final RepoReader reader;
    private final SpecCheck check;
    private final SecretLookup secrets;
    private final ScheduleTriggers triggers;
    /** One sync per repository at a time in this process: JGit's fetch into one clone is not concurrent. */
    private final Map<Long, Object> locks = new ConcurrentHashMap<>();

    public RepoSyncer(RepoStore repos, ScheduleStore schedules, RepoReader reader, SpecCheck check,
            SecretLookup secrets, ScheduleTriggers triggers) {
        this.repos = repos;
        this.schedules = schedules;
        this.reader = reader;
        this.check = check;
        this.secrets = secrets;
        this.triggers = triggers;
    }

    /** Syncs every registered repository; one that fails is recorded and does not stop the others. */
    public int syncAll() {
        int synced = 0;
        for (RepoRecord repo : repos.list()) {
            if (sync(repo.id()).map(r -> r.error() == null).orElse(false)) {
                synced++;
            }
        }
        return synced;
    }

    /** Empty if the repository does not exist. */
    public Optional<SyncReport> sync(long repoId) {
        synchronized (locks.computeIfAbsent(repoId, id -> new Object())) {
            return repos.find(repoId).map(this::sync);
        }
    }

    private SyncReport sync(RepoRecord repo) {
        RepoSnapshot snapshot;
        try {
            snapshot = reader.read(repo, credentials(repo));
        } catch (RepoException e) {
            LOG.warn("Repository {} ({}) could not be synced: {}; its schedules stay as they were and the next poll"
                    + " tries again", repo.id(), repo.url(), e.getMessage());
            repos.recordFailure(repo.id(), e.getMessage());
            return SyncReport.failed(e.getMessage());
        }
        List<SyncProblem> problems = new ArrayList<>();
        List<SyncedSpec> specs = new ArrayList<>();
        Set<String> keptNames = new LinkedHashSet<>();
        Set<String> brokenPaths = new LinkedHashSet<>();
        Map<String, String> seen = new HashMap<>();
        snapshot.files().forEach((path, text) -> {
            SpecFile file = SpecFile.parse(path, text);
            file.syntaxError().ifPresent(problem -> {
                problems.add(problem);
                brokenPaths.add(path);
            });
            for (SpecDocument doc : file.documents()) {
                SpecCheck.CheckedSpec checked = check.check(doc.tree());
                if (checked instanceof SpecCheck.Valid valid) {
                    String where = path + " line " + doc.line();
                    String earlier = seen.putIfAbsent(valid.name(), where);
                    if (earlier != null) {
                        problems.add(new SyncProblem(path, doc.lineOf("metadata.name"), "metadata.name",
                                valid.name() + " is also defined in " + earlier + "; names are unique within a repository"));
                    } else {
                        specs.add(new SyncedSpec(valid.name(), path, doc.line(), json(doc), valid.schedule()));
                    }
                } else if (checked instanceof SpecCheck.Invalid invalid) {
                    if (invalid.name() != null) {
                        keptNames.add(invalid.name());
                    }
                    for (FieldProblem p : invalid.problems()) {
                        problems.add(new SyncProblem(path, doc.lineOf(p.field()), p.field(), p.message()));
                    }
                }
            }
        });
        SyncChanges changes = repos.apply(repo.id(), new SyncResult(snapshot.commit(), specs, keptNames, brokenPaths,
                json(problems)));
        for (long id : changes.upsertedSchedules()) {
            schedules.find(id).ifPresent(s -> triggers.put(id, s.settings()));
        }
        changes.removedSchedules().forEach(triggers::remove);
        if (!changes.upsertedSchedules().isEmpty() || !changes.removedSchedules().isEmpty() || !problems.isEmpty()) {
            LOG.info("Repository {} synced at {}: {} schedules added or changed, {} removed, {} problems", repo.id(),
                    snapshot.commit(), changes.upsertedSchedules().size(), changes.removedSchedules().size(), problems.size());
        }
        return new SyncReport(snapshot.commit(), problems, changes, null);
    }

    private Optional<GitCredentials> credentials(RepoRecord repo) {
        if (repo.secret() == null) {
            return Optional.empty();
        }
        return Optional.of(secrets.find(repo.secret()).orElseThrow(() -> new RepoException("secret " + repo.secret()
                + " is not configured on this instance (drover.git.secrets." + repo.secret() + ".password)")));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value instanceof SpecDocument doc ? doc.tree() : value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
