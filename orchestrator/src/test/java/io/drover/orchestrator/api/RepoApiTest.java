package io.drover.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.drover.orchestrator.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class RepoApiTest {
    private static final PersonIdent WHO = new PersonIdent("Drover Test", "test@drover.invalid");

    @Inject
    DataSource dataSource;
    private Path dir;
    private Git git;

    @BeforeEach
    void createRepository() throws Exception {
        dir = Files.createTempDirectory("drover-api-repo");
        git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
    }

    @AfterEach
    void deleteRepository() throws IOException {
        git.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private String commit(Map<String, String> files, List<String> deleted) throws Exception {
        for (var e : files.entrySet()) {
            Path file = dir.resolve(e.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
            git.add().addFilepattern(e.getKey()).call();
        }
        for (String path : deleted) {
            git.rm().addFilepattern(path).call();
        }
        return git.commit().setMessage("specs").setAuthor(WHO).setCommitter(WHO).setSign(false).call().getName();
    }

    static String spec(String name, String extra) {
        return "metadata: {name: " + name + "}\nspec:\n  fanout: {items: [a, b]}\n  task: {command: 'echo ${item}'}\n" + extra;
    }

    private List<Map<String, Object>> ownedSchedules(long repoId) {
        List<Map<String, Object>> all = given().get("/api/v1/schedules").jsonPath().getList("$");
        return all.stream().filter(s -> s.get("owner") != null
                && ((Number) ((Map<?, ?>) s.get("owner")).get("repoId")).longValue() == repoId).toList();
    }

    @Test
    void a_registered_repository_applies_its_specs_reports_broken_ones_and_follows_commits() throws Exception {
        String first = commit(Map.of(
                ".drover/jobs.yaml", spec("repo-nightly", "  schedule: {cron: '0 0 3 1 1 ?', overlap: forbid}\n")
                        + "---\n" + spec("repo-adhoc", ""),
                ".drover/broken.yaml", spec("repo-broken", "  retry: {maxAttempts: 0}\n  sandbox: {driver: nope}\n")), List.of());

        JsonPath repo = given().contentType("application/json").body(Map.of("url", dir.toUri().toString()))
                .post("/api/v1/repos").then().statusCode(201).extract().jsonPath();
        long id = repo.getLong("id");

        assertThat(repo.getString("branch")).isEqualTo("main");
        assertThat(repo.getString("path")).isEqualTo(".drover/*.yaml");
        assertThat(repo.getString("lastSync.commit")).isEqualTo(first);
        assertThat(repo.getList("lastSync.problems.path")).containsOnly(".drover/broken.yaml");
        assertThat(repo.getList("lastSync.problems.field")).containsExactlyInAnyOrder("spec.retry.maxAttempts", "spec.sandbox.driver");
        assertThat(repo.getList("lastSync.problems.line", Integer.class)).containsExactlyInAnyOrder(5, 6);
        assertThat(repo.getList("specs.name")).containsExactlyInAnyOrder("repo-nightly", "repo-adhoc");
        List<Map<String, Object>> owned = ownedSchedules(id);
        assertThat(owned).hasSize(1);
        long scheduleId = ((Number) owned.get(0).get("id")).longValue();
        assertThat(owned.get(0).get("name")).isEqualTo("repo-nightly");
        given().delete("/api/v1/schedules/" + scheduleId).then().statusCode(409)
                .body("detail", containsString(".drover/jobs.yaml line 1"));

        long jobId = given().post("/api/v1/repos/" + id + "/jobs/repo-adhoc/run").then().statusCode(201)
                .extract().jsonPath().getLong("id");
        assertThat(JobApiTest.awaitEnd(jobId, Duration.ofSeconds(20)).getString("state")).isEqualTo("SUCCEEDED");
        assertThat(sourceCommit(jobId)).as("the job records the commit its spec came from").isEqualTo(first);
        given().post("/api/v1/repos/" + id + "/jobs/nope/run").then().statusCode(404);

        String second = commit(Map.of(".drover/jobs.yaml",
                spec("repo-nightly", "  schedule: {cron: '0 30 3 1 1 ?'}\n")), List.of(".drover/broken.yaml"));
        given().post("/api/v1/repos/" + id + "/sync").then().statusCode(200)
                .body("lastSync.commit", equalTo(second)).body("lastSync.problems.size()", equalTo(0));
        given().get("/api/v1/schedules/" + scheduleId).then().body("cron", equalTo("0 30 3 1 1 ?"))
                .body("owner.commit", equalTo(second));

        commit(Map.of(), List.of(".drover/jobs.yaml"));
        given().post("/api/v1/repos/" + id + "/sync").then().statusCode(200);
        assertThat(ownedSchedules(id)).isEmpty();
        given().delete("/api/v1/repos/" + id).then().statusCode(204);
        given().get("/api/v1/repos/" + id).then().statusCode(404);
    }

    @Test
    void registration_problems_name_the_field_and_secrets_are_never_echoed() {
        given().contentType("application/json")
                .body(Map.of("url", "ftp://example.invalid/repo.git", "secret", "missing", "path", "/abs/*.yaml"))
                .post("/api/v1/repos").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("url", "secret", "path"));
        given().contentType("application/json").body(Map.of("url", "https://user:hunter2@example.invalid/r.git"))
                .post("/api/v1/repos").then().statusCode(400)
                .body("errors[0].field", equalTo("url"))
                .body(org.hamcrest.Matchers.not(containsString("hunter2")));
    }

    private String sourceCommit(long jobId) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT source_commit FROM job WHERE id = ?")) {
            ps.setLong(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
