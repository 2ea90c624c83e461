package io.drover.bench;

import io.drover.persistence.Database;
import io.drover.persistence.attempt.AttemptOutcome;
import io.drover.persistence.attempt.AttemptResult;
import io.drover.persistence.attempt.AttemptStore;
import io.drover.persistence.job.JobStore;
import io.drover.persistence.job.NewJob;
import io.drover.persistence.subtask.ClaimedSubtask;
import io.drover.persistence.subtask.SubtaskStore;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import javax.sql.DataSource;

/**
 * P9: claims from 1, 4 and 16 claimers at once, each on a connection of its own (as workers on
 * separate machines are), claiming batches of 8 and recording each claimed subtask's end, until
 * the work is gone. The baseline is one claimer on the same database and work. Each count runs
 * twice, side by side: with one transaction per end, and with the ends of a claim recorded in one
 * transaction ({@code AttemptStore.complete(List)}, what a worker's {@code Completions} writes when
 * the subtasks of a claim end together).
 */
final class ClaimScaling {
    private static final int BATCH = 8;
    private static final int JOBS = 4;

    private ClaimScaling() {
    }

    static void run(Report report, BenchDatabase databases, int subtasks) throws Exception {
        List<String> each = new ArrayList<>();
        List<String> grouped = new ArrayList<>();
        List<String> gains = new ArrayList<>();
        double single = 0;
        double last = 0;
        // Warms the JVM and the server up, so that the first figure is not the only cold one.
        measure(databases, subtasks / 10, 4, false);
        measure(databases, subtasks / 10, 4, true);
        for (int claimers : List.of(1, 4, 16)) {
            Result apart = measure(databases, subtasks, claimers, false);
            Result together = measure(databases, subtasks, claimers, true);
            each.add(apart.figures(claimers, subtasks));
            grouped.add(together.figures(claimers, subtasks));
            gains.add(String.format("%.2fx at %d", apart.seconds() / together.seconds(), claimers));
            last = subtasks / apart.seconds();
            if (claimers == 1) {
                single = last;
            }
        }
        report.add("P9", subtasks + " subtasks in " + JOBS + " jobs claimed " + BATCH + " at a time and completed,"
                + " by 1, 4 and 16 claimers, one transaction per end", String.join("; ", each),
                String.format("1 claimer %.0f/s", single), String.format("%.2fx at 16", last / single));
        report.add("P9", "the same, the ends of each claim in one transaction", String.join("; ", grouped),
                "one transaction per end (above)", String.join(", ", gains));
    }

    private record Result(double seconds, int claims) {
        String figures(int claimers, int subtasks) {
            return String.format("%d: %.0f claims/s, %.0f subtasks/s", claimers, claims / seconds, subtasks / seconds);
        }
    }

    private static Result measure(BenchDatabase databases, int subtasks, int claimers, boolean grouped)
            throws Exception {
        Database setup = databases.freshDrover();
        JobStore jobs = new JobStore(setup);
        for (int j = 0; j < JOBS; j++) {
            long id = jobs.insert(NewJob.of("claims-" + j, "{}", "{}", "{}", "bench")).id();
            jobs.expand(id, IntStream.range(0, subtasks / JOBS).mapToObj(i -> "{}").toList());
        }
        ExecutorService threads = Executors.newFixedThreadPool(claimers);
        AtomicInteger claims = new AtomicInteger();
        try {
            long start = System.nanoTime();
            List<Future<Integer>> done = new ArrayList<>();
            for (int c = 0; c < claimers; c++) {
                String owner = "claimer-" + c;
                done.add(threads.submit(() -> {
                    try (Connection own = setup.dataSource().getConnection()) {
                        Database db = new Database(kept(own));
                        SubtaskStore store = new SubtaskStore(db);
                        AttemptStore attempts = new AttemptStore(db);
                        int ended = 0;
                        for (List<ClaimedSubtask> batch = store.claim(owner, BATCH); !batch.isEmpty();
                                batch = store.claim(owner, BATCH)) {
                            claims.incrementAndGet();
                            List<AttemptResult> ends = batch.stream().map(s -> new AttemptResult(s.attemptId(),
                                    s.subtaskId(), s.version(), AttemptOutcome.SUCCEEDED, null, 0, 0, null, null, "",
                                    Optional.empty())).toList();
                            if (grouped) {
                                ended += attempts.complete(ends).size();
                            } else {
                                for (AttemptResult end : ends) {
                                    ended += attempts.complete(end) ? 1 : 0;
                                }
                            }
                        }
                        return ended;
                    }
                }));
            }
            int ended = 0;
            for (Future<Integer> f : done) {
                ended += f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (ended != subtasks) {
                throw new IllegalStateException(claimers + " claimers ended " + ended + " subtasks of " + subtasks);
            }
            return new Result(seconds, claims.get());
        } finally {
            threads.shutdownNow();
        }
    }

    /** A data source that always hands out {@code connection}, whose close keeps it open for the next use. */
    private static DataSource kept(Connection connection) {
        Connection shared = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> method.getName().equals("close") ? null
                        : invoke(method, connection, args));
        return new DataSource() {
            public Connection getConnection() {
                return shared;
            }

            public Connection getConnection(String user, String password) {
                return shared;
            }

            public PrintWriter getLogWriter() {
                return null;
            }

            public void setLogWriter(PrintWriter out) {
            }

            public void setLoginTimeout(int seconds) {
            }

            public int getLoginTimeout() {
                return 0;
            }

            public Logger getParentLogger() throws SQLFeatureNotSupportedException {
                throw new SQLFeatureNotSupportedException();
            }

            public <T> T unwrap(Class<T> iface) throws SQLException {
                throw new SQLException("not a wrapper");
            }

            public boolean isWrapperFor(Class<?> iface) {
                return false;
            }
        };
    }

    private static Object invoke(java.lang.reflect.Method method, Connection target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
