package io.drover.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Drover's own settings (prefix {@code drover}); every key is listed in README.md. */
@ConfigMapping(prefix = "drover")
public interface DroverConfig {

    /** Where Drover keeps its embedded database ({@code pgdata/}), attempt logs ({@code logs/}) and sandboxes. */
    @WithDefault("${user.home}/.drover")
    Path dataDir();

    /**
     * What this process does, a comma list of {@code api} (REST), {@code worker} (claims and runs
     * subtasks, owns sandboxes) and {@code scheduler} (fires schedules, polls repositories).
     */
    @WithDefault("api,worker,scheduler")
    java.util.List<String> roles();

    /**
     * The admin token (env {@code DROVER_ADMIN_TOKEN}): an admin of {@code drover.auth.admin-tenant}
     * that may also make tokens for any tenant. Without it, one is made at the first start into
     * {@code <data-dir>/admin-token} (mode 0600) and printed once.
     */
    Optional<String> adminToken();

    Auth auth();

    Secrets secrets();

    /**
     * The key that encrypts the tenants' secrets at rest: {@code key}, else the file {@code key-file},
     * else {@code <data-dir>/secrets.key}, made at the first start (mode 0600). Every process of one
     * database needs the same key.
     */
    interface Secrets {
        /** The base64 of 32 random bytes (env {@code DROVER_SECRETS_KEY}), e.g. {@code openssl rand -base64 32}. */
        Optional<String> key();

        /** A file holding that base64, e.g. a mounted Kubernetes Secret. */
        Optional<Path> keyFile();
    }

    interface Auth {
        /** The tenant of the admin token. */
        @WithDefault("default")
        String adminTenant();

        /** Whether {@code /q/metrics} answers without a token (Prometheus scrapes); else it takes a read token. */
        @WithDefault("true")
        boolean metricsOpen();

        Jwt jwt();
    }

    /** JWTs from an identity provider, accepted beside Drover's own tokens when a public key is set. */
    interface Jwt {
        /** A PEM file with the public key (RSA or EC) that signs them; unset: JWTs are not accepted. */
        Optional<Path> publicKeyLocation();

        /** The {@code iss} a JWT must carry; required with a public key. */
        Optional<String> issuer();

        /** The {@code aud} a JWT must include. */
        @WithDefault("drover")
        String audience();

        /** The claim that names the caller's tenant. */
        @WithDefault("tenant")
        String tenantClaim();

        /** The claim that names the caller's role: admin, submit or read. */
        @WithDefault("role")
        String roleClaim();
    }

    Worker worker();

    Cluster cluster();

    Spec spec();

    EmbeddedPostgres embeddedPostgres();

    Pool pool();

    interface Pool {
        /** Sandboxes of one driver at once, warm, leased and in standby together. */
        @WithDefault("64")
        int maxSandboxes();

        /**
         * The memory each sandbox is counted at (a spec's default {@code resources.memoryMb}) when
         * the process driver checks at start-up that max-sandboxes of them and the JVM's heap fit in
         * a memory limit they share with this process (a pod's).
         */
        @WithDefault("512")
        int sandboxMemoryMb();

        /**
         * What a sandbox may write to /workspace and /tmp together, in MiB, when its spec has no
         * {@code resources.diskMb}: a hard limit (writes past it fail with ENOSPC and the subtask fails
         * as disk-quota). The host pays only for what is written.
         */
        @WithDefault("10240")
        int sandboxDiskMb();

        /**
         * How the process driver enforces disk limits: {@code loop} (each sandbox's writable layers on
         * its own loop-mounted sparse ext4 image; needs loop devices and mke2fs, checked at start-up) or
         * {@code none} (no limit: a sandbox can fill the data dir's disk; for containers without loop
         * devices, chosen knowingly).
         */
        @WithDefault("loop")
        String diskLimit();

        /** Clones kept ready per base once that base has been used. */
        @WithDefault("1")
        int minWarm();

        /** At most this many warm clones per base. */
        @WithDefault("4")
        int maxWarm();

        /** Idle time after which a warm clone goes to standby. */
        @WithDefault("15s")
        Duration standbyAfter();

        /** How often idle sandboxes are looked for. */
        @WithDefault("1s")
        Duration sweepInterval();
    }

    Snapshots snapshots();

    Sandbox sandbox();

    interface Sandbox {
        /**
         * The LLM gateway's port on the host's loopback. When set, every sandbox (but those on the
         * host's network) reaches it at http://127.0.0.1:4141 (see docs/sandboxes.md, Networking).
         */
        Optional<Integer> gatewayPort();

        /**
         * Whether specs may ask for {@code network: host}: the host's own network, not isolated
         * (such a sandbox reaches PostgreSQL and Drover's API). Off unless every spec is trusted.
         */
        @WithDefault("false")
        boolean allowHostNetwork();

        /**
         * Failed attempts' sandboxes kept for inspection ({@code spec.sandbox.keepOnFailure}) at
         * once, per process; each holds a place in its pool. Beyond it, failed sandboxes are destroyed.
         */
        @WithDefault("4")
        int maxKept();

        Microvm microvm();

        /** The microvm driver (docs/microvm.md): registered when it passes its preflight (QEMU above all). */
        interface Microvm {
            /** Start the microvm driver (behind its preflight); false leaves it out altogether. */
            @WithDefault("true")
            boolean enabled();

            /** The guest image (build-guest.sh's output); defaults to ~/.cache/drover/microvm/guest. */
            Optional<Path> guestDir();

            /**
             * Build a missing guest image on first use, from Debian packages (needs Debian's archive,
             * gcc, libc6-dev, cpio, e2fsprogs, qemu-utils); false: never build, use the image already
             * in guest-dir, and the driver is unavailable without one.
             */
            @WithDefault("true")
            boolean buildGuest();

            /** Guest RAM of every microVM, the same for a base and its clones. */
            @WithDefault("256")
            int memoryMb();

            /** auto (KVM only when the CPU has vmx/svm), kvm or tcg. */
            @WithDefault("auto")
            String accel();

            /** The QEMU binary. */
            @WithDefault("qemu-system-x86_64")
            String qemu();
        }
    }

    interface Snapshots {
        /**
         * A base snapshot unused for this long is deleted from disk (its row stays, marked DELETED,
         * and the next job that needs it runs its setup again). Warm clones of a base idle for half
         * of it are dropped first; a base with a leased sandbox is never deleted.
         */
        @WithDefault("7d")
        Duration gcAfter();

        /** How often unused bases are looked for; must be under half of {@code gc-after}. */
        @WithDefault("1h")
        Duration gcInterval();

        /**
         * A node that lacks a base first fetches its layer from a live peer node that holds it READY
         * (process driver only), verified by the content hash its builder recorded, and runs the
         * setup only when no peer can send it. Default by the P10 figures in docs/benchmarks.md.
         */
        @WithDefault("true")
        boolean fetchFromPeers();

        /**
         * The bearer token peers must send to fetch this node's bases, and that this node sends to
         * them: the same on every node. Unset: bases are served to this machine only (loopback).
         */
        Optional<String> peerToken();
    }

    Run run();

    interface EmbeddedPostgres {
        /** Start an embedded PostgreSQL when no quarkus.datasource.jdbc.url is configured. */
        @WithDefault("true")
        boolean enabled();
    }

    interface Run {
        /** Set by {@code ./drover run FILE}: submit this spec at start-up, report its progress, exit with its outcome. */
        Optional<Path> spec();
    }

    interface Cluster {
        /**
         * This machine's name among Drover's nodes (bases are kept per node). Default: made at the
         * first start as {@code <host name>-<random>} and kept in {@code <data-dir>/node-id}.
         */
        Optional<String> node();

        /**
         * Where other Drover processes reach this one's HTTP port, e.g. {@code http://10.0.3.7:8080}
         * (api replicas forward sandbox and log requests to it). Default
         * {@code http://127.0.0.1:<quarkus.http.port>}: right on one machine only.
         */
        Optional<String> address();

        /**
         * Where clients reach Drover's API (a load balancer or Service in front of the api
         * replicas), e.g. {@code https://drover.example.com}: the base of kept sandboxes' URLs in
         * attempts' output. Default {@code drover.agent.api-url}, else this instance's address.
         */
        Optional<String> apiUrl();

        /** How often this process renews its instance row. */
        @WithDefault("5s")
        Duration heartbeatInterval();

        /** An instance whose row was not renewed for this long is gone: what it owned answers 410. */
        @WithDefault("30s")
        Duration goneAfter();
    }

    interface Worker {
        /** Subtasks this process runs at once. */
        @WithDefault("8")
        int capacity();

        /** How often to look for work that this process was not told about (retries, other instances' jobs). */
        @WithDefault("1s")
        Duration pollInterval();

        /** How often running attempts renew their lease. */
        @WithDefault("5s")
        Duration heartbeatInterval();

        /** A running attempt whose lease is older than this is taken to be lost and its subtask runs again. */
        @WithDefault("60s")
        Duration staleAfter();

        /** A subtask whose worker was lost this many times fails instead of running again. */
        @WithDefault("3")
        int maxLostAttempts();

        /** Bytes of the end of each attempt's output kept in the database; the full log stays on disk. */
        @WithDefault("65536")
        int tailBytes();

        /** This process's identity in instance and attempt rows; defaults to host:pid:random. */
        Optional<String> owner();

        /**
         * Claims take jobs whose base this node holds READY first, and jobs whose base only other
         * live nodes hold last (bounded by {@code starve-after}); false for round-robin alone.
         */
        @WithDefault("true")
        boolean preferWarm();

        /**
         * A job nothing was claimed from for this long is claimed first by every node, ahead of
         * warm work: what bounds the warm preference, so that no job waits on it longer.
         */
        @WithDefault("30s")
        Duration starveAfter();
    }

    interface Spec {
        /** The most subtasks one job may fan out to. */
        @WithDefault("100000")
        int maxItems();

        /** The sandbox driver used when a spec names none. */
        @WithDefault("process")
        String defaultDriver();
    }
}
