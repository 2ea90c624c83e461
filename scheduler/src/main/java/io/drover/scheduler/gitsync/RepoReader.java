package io.drover.scheduler.gitsync;

import io.drover.persistence.repo.RepoRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Reads a repository's spec files with JGit. Each repository is kept as a bare clone under the cache
 * directory and fetched on later syncs; files are read from the commit's tree, never checked out.
 */
public final class RepoReader {
    /** Spec files larger than this are not read: a spec is a few kilobytes. */
    static final long MAX_FILE_BYTES = 1 << 20;

    private final Path cacheDir;

    public RepoReader(Path cacheDir) {
        this.cacheDir = cacheDir;
    }

    /** The branch's newest commit and its files matching the repository's glob; throws {@link RepoException}. */
    public RepoSnapshot read(RepoRecord repo, Optional<GitCredentials> credentials) {
        Path dir = cacheDir.resolve("repo-" + repo.id());
        CredentialsProvider auth = credentials.map(c -> new UsernamePasswordCredentialsProvider(c.username(), c.password()))
                .orElse(null);
        String ref = "refs/heads/" + repo.branch();
        try (Git git = open(dir, repo, auth)) {
            git.fetch().setCredentialsProvider(auth).setRefSpecs(new RefSpec("+" + ref + ":" + ref)).call();
            ObjectId head = git.getRepository().resolve(ref);
            if (head == null) {
                throw new RepoException("branch " + repo.branch() + " does not exist in " + repo.url());
            }
            return snapshot(git.getRepository(), head, repo.pathGlob());
        } catch (GitAPIException | IOException e) {
            throw new RepoException("could not fetch " + repo.url() + " (branch " + repo.branch() + "): " + e.getMessage());
        }
    }

    /** Forgets the local clone, e.g. when its repository is deleted. */
    public void forget(long repoId) {
        delete(cacheDir.resolve("repo-" + repoId));
    }

    private static Git open(Path dir, RepoRecord repo, CredentialsProvider auth) throws GitAPIException, IOException {
        if (Files.isDirectory(dir.resolve("objects"))) {
            try {
                return Git.open(dir.toFile());
            } catch (IOException corrupt) {
                delete(dir);
            }
        }
        Files.createDirectories(dir.getParent());
        return Git.cloneRepository().setURI(repo.url()).setDirectory(dir.toFile()).setBare(true)
                .setCredentialsProvider(auth).setNoCheckout(true)
                .setBranchesToClone(java.util.List.of("refs/heads/" + repo.branch())).call();
    }

    private static RepoSnapshot snapshot(Repository repository, ObjectId head, String glob) throws IOException {
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        TreeMap<String, String> files = new TreeMap<>();
        try (RevWalk walk = new RevWalk(repository)) {
            RevCommit commit = walk.parseCommit(head);
            try (TreeWalk tree = new TreeWalk(repository)) {
                tree.addTree(commit.getTree());
                tree.setRecursive(true);
                while (tree.next()) {
                    String path = tree.getPathString();
                    if (matcher.matches(Paths.get(path))) {
                        var loader = repository.open(tree.getObjectId(0));
                        if (loader.getSize() <= MAX_FILE_BYTES) {
                            files.put(path, new String(loader.getBytes(), StandardCharsets.UTF_8));
                        }
                    }
                }
            }
            return new RepoSnapshot(commit.getName(), files);
        }
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
