package io.drover.cli.watch;

/** Shows a followed job's progress: each poll's {@link JobProgress}, then its end. */
public interface Progress {
    void update(JobProgress progress);

    void end(JobProgress last);
}
