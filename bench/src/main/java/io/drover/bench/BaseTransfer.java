package io.drover.bench;

import io.drover.persistence.Database;
import io.drover.persistence.instance.InstanceStore;
import io.drover.persistence.snapshot.AdvisoryLock;
import io.drover.persistence.snapshot.BaseCopyStore;
import io.drover.persistence.snapshot.PeerCopies;
import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.process.ProcessDriver;
import io.drover.workers.sandbox.Drivers;
import io.drover.workers.snapshot.BaseLayerServer;
import io.drover.workers.snapshot.BaseRecording;
import io.drover.workers.snapshot.LayerHttp;
import io.drover.workers.snapshot.PeerFetch;
import io.drover.workers.snapshot.RecordingDriver;
import io.drover.workers.snapshot.SharedBaseBuildLock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * P10: a node that lacks a base, building it (its setup: a git repository of 1,000 files in 20
 * commits, cloned, a build output and 2,000 small files) against fetching it from a peer node that has it (over
 * loopback HTTP, the content hash verified, installed in one rename). Two nodes on one database,
 * each a process driver on its own root; each run uses a setup no other run shares.
 */
final class BaseTransfer {
    private static final Duration GONE_AFTER = Duration.ofSeconds(30);

    private BaseTransfer() {
    }

    static void run(Report report, BenchDatabase databases, Path temp, int runs, int megabytes) throws Exception {
        // The sandbox sees none of the host's files but /usr: the repository to clone is made in
        // its /tmp (standing for a remote's transfer), then cloned as a real clone does (no hard links).
        String setup = "mkdir /tmp/src && cd /tmp/src && git init -q && git config user.email b@example.invalid"
                + " && git config user.name bench && for d in $(seq 20); do mkdir -p src$d; for f in $(seq 50); do"
                + " head -c 2000 /dev/urandom | base64 > src$d/f$f.txt; done; git add -A; git commit -qm c$d; done"
                + " && git clone -q --no-local /tmp/src /workspace/app && cd /workspace/app"
                + " && head -c " + megabytes + "M /dev/urandom > build.bin"
                + " && mkdir -p deps && for i in $(seq 2000); do echo \"module $i\" > deps/m$i.js; done";
        Database db = databases.freshDrover();
        List<Double> builds = new ArrayList<>();
        List<Double> fetches = new ArrayList<>();
        long size = 0;
        try (ProcessDriver a = new ProcessDriver(temp.resolve("p10-node-a"));
                ProcessDriver b = new ProcessDriver(temp.resolve("p10-node-b"))) {
            RecordingDriver onA = node(db, a, "node-a", Optional.empty());
            RecordingDriver onB = node(db, b, "node-b",
                    Optional.of(new PeerFetch(new PeerCopies(db), "node-b", GONE_AFTER, Optional.empty())));
            try (LayerHttp served = new LayerHttp(new BaseLayerServer(new BaseCopyStore(db),
                    new Drivers(List.of(onA)), "node-a", Optional.empty()))) {
                InstanceStore instances = new InstanceStore(db);
                instances.register("bench-a", "node-a", "worker", served.address());
                for (int run = 0; run < runs; run++) {
                    BaseSpec spec = new BaseSpec("host", List.of(setup + " # run " + System.nanoTime()), Map.of());
                    long t = System.nanoTime();
                    BaseSnapshot built = onA.prepareBase(spec);
                    builds.add((System.nanoTime() - t) / 1e9);
                    instances.beat("bench-a"); // as node-a's heartbeat would while it built: it is live
                    t = System.nanoTime();
                    onB.prepareBase(spec);
                    fetches.add((System.nanoTime() - t) / 1e9);
                    size = built.sizeBytes();
                }
            }
        }
        double build = Stats.median(builds);
        double fetch = Stats.median(fetches);
        report.add("P10", String.format("a missing %.0f MiB base (git clone + build output + 2,000 files), median of %d",
                        size / 1048576.0, runs), String.format("fetch from a peer + verify %.2f s", fetch),
                String.format("build here %.2f s", build), Report.ratio(fetch, build) + " time");
    }

    private static RecordingDriver node(Database db, ProcessDriver driver, String node, Optional<PeerFetch> peers) {
        BaseRecording recording = new BaseRecording(new BaseCopyStore(db),
                new SharedBaseBuildLock(new AdvisoryLock(db.dataSource()), node), node, "bench@" + node,
                Clock.systemUTC(), Duration.ofMinutes(1), peers);
        return new RecordingDriver(driver, recording, null);
    }
}
