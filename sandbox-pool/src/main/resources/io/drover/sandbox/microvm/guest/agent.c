/*
 * drover-agent: the guest side of Drover's microVM agent protocol, version 1 (docs/microvm.md).
 * Runs as the guest's pid 1 and speaks framed messages over one virtio-serial port:
 *   frame = type (1 byte) | channel (u32, big endian) | length (u32, big endian) | payload
 * Host to guest: 'P' ping, 'X' exec, 'K' kill, 'I' identity, 'S' sync, 'F' read file, 'D' disk.
 * Guest to host: 'p' pong, 'O' stdout, 'E' stderr, 'x' exit, 'e' exec error, 'i' identity set,
 *   's' synced, 'f' file, 'd' disk mounted.
 * Single-threaded: one poll loop over the port, the commands' pipes and a SIGCHLD self-pipe.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/random.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PROTOCOL "drover-agent/1"
#define MAX_FRAME (64u << 20)
#define MAX_CMDS 256
#define DRAIN_MS 300

struct cmd {
    int used;
    uint32_t channel;
    pid_t pid;
    int out, err;          /* pipe read ends, -1 once at EOF */
    int exited, status;    /* the main process's wait status */
    long long drain_until; /* after exit: stop waiting for pipes held by escaped processes */
    long oom_before;
};

static int port = -1;
static int sigpipe_fds[2];
static struct cmd cmds[MAX_CMDS];

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void put32(unsigned char *p, uint32_t v) {
    p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v;
}

static uint32_t get32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void write_all(const void *buf, size_t len) {
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(port, p, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN) { usleep(1000); continue; }
            return; /* host gone: the frame is lost, as is the host's interest in it */
        }
        p += n;
        len -= n;
    }
}

static void send_frame(char type, uint32_t channel, const void *payload, uint32_t len) {
    unsigned char header[9];
    header[0] = type;
    put32(header + 1, channel);
    put32(header + 5, len);
    write_all(header, sizeof header);
    if (len) write_all(payload, len);
}

static long oom_kills(void) {
    FILE *f = fopen("/proc/vmstat", "r");
    char key[64];
    long value, found = 0;
    if (!f) return 0;
    while (fscanf(f, "%63s %ld", key, &value) == 2) {
        if (strcmp(key, "oom_kill") == 0) { found = value; break; }
    }
    fclose(f);
    return found;
}

/* Less than 1 MiB or no inode left: a write there fails with ENOSPC. */
static int full(const char *path) {
    struct statvfs v;
    if (statvfs(path, &v) != 0) return 0;
    return (unsigned long long)v.f_bavail * v.f_frsize < (1ull << 20) || (v.f_files > 0 && v.f_favail == 0);
}

static struct cmd *find_cmd(uint32_t channel) {
    for (int i = 0; i < MAX_CMDS; i++)
        if (cmds[i].used && cmds[i].channel == channel) return &cmds[i];
    return NULL;
}

static void exec_error(uint32_t channel, const char *what) {
    send_frame('e', channel, what, strlen(what));
}

/* payload: flags (1 byte: bit 0 = merge stderr into stdout) | cwd \0 | script \0 | (NAME=value \0)* */
static void do_exec(uint32_t channel, unsigned char *payload, uint32_t len) {
    if (len < 1 || payload[len - 1] != '\0') { exec_error(channel, "malformed exec frame"); return; }
    int merge = payload[0] & 1;
    char *p = (char *)payload + 1, *end = (char *)payload + len;
    char *cwd = p; p += strlen(p) + 1;
    if (p >= end) { exec_error(channel, "exec frame without a script"); return; }
    char *script = p; p += strlen(p) + 1;
    int envc = 0;
    for (char *q = p; q < end; q += strlen(q) + 1) envc++;
    char **envp = calloc(envc + 1, sizeof *envp);
    int i = 0;
    for (char *q = p; q < end; q += strlen(q) + 1) envp[i++] = q;
    struct cmd *c = NULL;
    for (int k = 0; k < MAX_CMDS; k++) if (!cmds[k].used) { c = &cmds[k]; break; }
    if (!c || find_cmd(channel)) { free(envp); exec_error(channel, c ? "channel in use" : "too many commands"); return; }
    int out[2], err[2] = {-1, -1};
    if (pipe2(out, O_CLOEXEC) < 0 || (!merge && pipe2(err, O_CLOEXEC) < 0)) {
        free(envp); exec_error(channel, strerror(errno)); return;
    }
    long oom = oom_kills();
    pid_t pid = fork();
    if (pid < 0) { free(envp); exec_error(channel, strerror(errno)); return; }
    if (pid == 0) {
        setsid();
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        signal(SIGPIPE, SIG_DFL);
        int devnull = open("/dev/null", O_RDONLY);
        dup2(devnull, 0);
        dup2(out[1], 1);
        dup2(merge ? out[1] : err[1], 2);
        if (chdir(cwd) < 0) { dprintf(2, "drover-agent: cannot enter %s: %s\n", cwd, strerror(errno)); _exit(127); }
        char *argv[] = {"bash", "-c", script, NULL};
        execve("/bin/bash", argv, envp);
        dprintf(2, "drover-agent: cannot run bash: %s\n", strerror(errno));
        _exit(127);
    }
    free(envp);
    close(out[1]);
    if (!merge) close(err[1]);
    memset(c, 0, sizeof *c);
    c->used = 1;
    c->channel = channel;
    c->pid = pid;
    c->out = out[0];
    c->err = merge ? -1 : err[0];
    c->oom_before = oom;
}

static void finish(struct cmd *c) {
    unsigned char payload[7];
    int code, signaled = WIFSIGNALED(c->status);
    code = signaled ? 128 + WTERMSIG(c->status) : WEXITSTATUS(c->status);
    put32(payload, (uint32_t)code);
    payload[4] = signaled;
    payload[5] = oom_kills() > c->oom_before;
    /* Checked only for a failed command: the kernel counts ENOSPC nowhere, a full disk tells it. */
    payload[6] = code != 0 && (full("/workspace") || full("/tmp"));
    if (c->out >= 0) close(c->out);
    if (c->err >= 0) close(c->err);
    send_frame('x', c->channel, payload, sizeof payload);
    c->used = 0;
}

static int readable(int fd) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    return fd >= 0 && poll(&p, 1, 0) > 0 && (p.revents & POLLIN);
}

/*
 * A command is over once its process exited and its pipes reached EOF. A process that left the
 * command's session can hold the pipes open: after DRAIN_MS with nothing left to read (or 10 s
 * of output from it), the command is reported ended anyway.
 */
static void maybe_finish(struct cmd *c) {
    if (!c->used || !c->exited) return;
    long long now = now_ms();
    if ((c->out < 0 && c->err < 0)
            || (now >= c->drain_until && !readable(c->out) && !readable(c->err))
            || now >= c->drain_until + 10000) {
        finish(c);
    }
}

static void reap(void) {
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        for (int i = 0; i < MAX_CMDS; i++) {
            struct cmd *c = &cmds[i];
            if (c->used && !c->exited && c->pid == pid) {
                c->exited = 1;
                c->status = status;
                c->drain_until = now_ms() + DRAIN_MS;
                kill(-pid, SIGKILL); /* what the command left running in its session dies with it */
                maybe_finish(c);
            }
        }
    }
}

static void pump(struct cmd *c, int *fd, char type) {
    static unsigned char buf[32768];
    ssize_t n = read(*fd, buf, sizeof buf);
    if (n > 0) {
        send_frame(type, c->channel, buf, n);
    } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        close(*fd);
        *fd = -1;
        maybe_finish(c);
    }
}

/* payload: u64 epoch nanoseconds (big endian) | 32+ seed bytes ... | hostname (after a \0 separator) */
static void do_identity(uint32_t channel, unsigned char *payload, uint32_t len) {
    if (len < 8 + 32 + 2) { send_frame('i', channel, "short", 5); return; }
    unsigned long long ns = 0;
    for (int i = 0; i < 8; i++) ns = ns << 8 | payload[i];
    struct timespec ts = {.tv_sec = ns / 1000000000ULL, .tv_nsec = ns % 1000000000ULL};
    clock_settime(CLOCK_REALTIME, &ts);
    struct {
        int entropy_count, buf_size;
        unsigned char buf[32];
    } seed;
    seed.entropy_count = 256;
    seed.buf_size = 32;
    memcpy(seed.buf, payload + 8, 32);
    int rnd = open("/dev/urandom", O_RDWR);
    const char *status = "ok";
    if (rnd < 0 || ioctl(rnd, RNDADDENTROPY, &seed) < 0 || ioctl(rnd, RNDRESEEDCRNG) < 0) status = strerror(errno);
    if (rnd >= 0) close(rnd);
    const char *host = (const char *)payload + 8 + 32;
    size_t hlen = strnlen(host, len - 40);
    if (sethostname(host, hlen) < 0) status = strerror(errno);
    send_frame('i', channel, status, strlen(status));
}

/* payload: u64 max bytes | absolute path under /workspace/; no component may be a symbolic link */
static void do_read(uint32_t channel, unsigned char *payload, uint32_t len) {
    unsigned char absent = 1;
    if (len < 9 || payload[len - 1] != '\0') { send_frame('f', channel, &absent, 1); return; }
    unsigned long long max = 0;
    for (int i = 0; i < 8; i++) max = max << 8 | payload[i];
    if (max > MAX_FRAME - 1) max = MAX_FRAME - 1;
    char *path = (char *)payload + 8;
    if (strncmp(path, "/workspace/", 11) != 0) { send_frame('f', channel, &absent, 1); return; }
    int dir = open("/workspace", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    char *rest = path + 11, *name;
    while (dir >= 0 && (name = strsep(&rest, "/")) != NULL) {
        if (*name == '\0' || strcmp(name, ".") == 0) continue;
        if (strcmp(name, "..") == 0) { close(dir); dir = -1; break; }
        int last = rest == NULL;
        int next = openat(dir, name, (last ? O_RDONLY : O_PATH | O_DIRECTORY) | O_NOFOLLOW | O_CLOEXEC);
        close(dir);
        dir = next;
        if (last) break;
    }
    struct stat st;
    if (dir < 0 || fstat(dir, &st) < 0 || !S_ISREG(st.st_mode)) {
        if (dir >= 0) close(dir);
        send_frame('f', channel, &absent, 1);
        return;
    }
    unsigned char *buf = malloc(max + 1);
    size_t got = 0;
    buf[0] = 0;
    while (got < max) {
        ssize_t n = read(dir, buf + 1 + got, max - got);
        if (n <= 0) break;
        got += n;
    }
    close(dir);
    send_frame('f', channel, buf, got + 1);
    free(buf);
}

#define DISK_DEVICE "vdb"
#define DISK_MOUNT "/run/drover-disk"

/* The lower directory's mode and owner on the overlay's upper root, so /workspace and /tmp look as before. */
static int overlay_on(const char *dir, const char *name) {
    char upper[128], work[128], options[512];
    struct stat st;
    snprintf(upper, sizeof upper, DISK_MOUNT "/%s/upper", name);
    snprintf(work, sizeof work, DISK_MOUNT "/%s/work", name);
    char parent[128];
    snprintf(parent, sizeof parent, DISK_MOUNT "/%s", name);
    if (stat(dir, &st) < 0) return -1;
    if ((mkdir(parent, 0700) < 0 && errno != EEXIST) || (mkdir(upper, 0755) < 0 && errno != EEXIST)
            || (mkdir(work, 0700) < 0 && errno != EEXIST)) return -1;
    if (chown(upper, st.st_uid, st.st_gid) < 0 || chmod(upper, st.st_mode & 07777) < 0) return -1;
    snprintf(options, sizeof options, "lowerdir=%s,upperdir=%s,workdir=%s", dir, upper, work);
    return mount("overlay", dir, "overlay", MS_NOATIME, options);
}

/*
 * payload: u64 bytes (big endian), the size of the clone's own disk (vdb). The host resized it
 * after the restore; the kernel learns the new capacity from a config interrupt, so wait for it.
 * Then /workspace and /tmp become overlays whose upper layers live on that disk: what a sandbox
 * writes to either counts against one file system of that size, and a write past it fails with ENOSPC.
 */
static void do_disk(uint32_t channel, unsigned char *payload, uint32_t len) {
    char status[256] = "ok";
    unsigned long long want = 0, sectors = 0;
    if (len < 8) { send_frame('d', channel, "short", 5); return; }
    for (int i = 0; i < 8; i++) want = want << 8 | payload[i];
    static int mounted;
    if (mounted) { send_frame('d', channel, "ok", 2); return; }
    for (long long until = now_ms() + 10000; now_ms() < until; usleep(2000)) {
        FILE *f = fopen("/sys/block/" DISK_DEVICE "/size", "r");
        if (f) { if (fscanf(f, "%llu", &sectors) != 1) sectors = 0; fclose(f); }
        if (sectors * 512 == want) break;
    }
    if (sectors * 512 != want) {
        snprintf(status, sizeof status, "/dev/" DISK_DEVICE " has %llu bytes, not %llu", sectors * 512, want);
    } else if (mkdir(DISK_MOUNT, 0700) < 0 && errno != EEXIST) {
        snprintf(status, sizeof status, "mkdir " DISK_MOUNT ": %s", strerror(errno));
    } else if (mount("/dev/" DISK_DEVICE, DISK_MOUNT, "ext4", MS_NOATIME | MS_NODEV | MS_NOSUID, "noinit_itable") < 0) {
        snprintf(status, sizeof status, "mount /dev/" DISK_DEVICE ": %s", strerror(errno));
    } else if (overlay_on("/workspace", "workspace") < 0) {
        snprintf(status, sizeof status, "overlay on /workspace: %s", strerror(errno));
    } else if (overlay_on("/tmp", "tmp") < 0) {
        snprintf(status, sizeof status, "overlay on /tmp: %s", strerror(errno));
    } else {
        mounted = 1;
    }
    send_frame('d', channel, status, strlen(status));
}

static void handle(unsigned char type, uint32_t channel, unsigned char *payload, uint32_t len) {
    struct cmd *c;
    switch (type) {
    case 'P': {
        char reply[256];
        int n = snprintf(reply, sizeof reply, "%s ", PROTOCOL);
        if (len > sizeof reply - n) len = sizeof reply - n;
        memcpy(reply + n, payload, len);
        send_frame('p', channel, reply, n + len);
        break;
    }
    case 'X': do_exec(channel, payload, len); break;
    case 'K':
        if ((c = find_cmd(channel)) != NULL && !c->exited) kill(-c->pid, SIGKILL);
        break;
    case 'I': do_identity(channel, payload, len); break;
    case 'S': sync(); send_frame('s', channel, NULL, 0); break;
    case 'F': do_read(channel, payload, len); break;
    case 'D': do_disk(channel, payload, len); break;
    default: {
        char what[64];
        int n = snprintf(what, sizeof what, "unknown frame type %d", type);
        send_frame('e', channel, what, n);
    }
    }
}

static void on_sigchld(int sig) {
    (void)sig;
    int saved = errno;
    if (write(sigpipe_fds[1], "c", 1) < 0) { /* the pipe is full: a wake-up is pending anyway */ }
    errno = saved;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: drover-agent PORT-DEVICE\n"); return 2; }
    port = open(argv[1], O_RDWR | O_CLOEXEC);
    if (port < 0) { fprintf(stderr, "drover-agent: cannot open %s: %s\n", argv[1], strerror(errno)); return 1; }
    if (pipe2(sigpipe_fds, O_CLOEXEC | O_NONBLOCK) < 0) return 1;
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa = {0};
    sa.sa_handler = on_sigchld;
    sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    sigaction(SIGCHLD, &sa, NULL);
    fprintf(stderr, "drover-agent: %s on %s\n", PROTOCOL, argv[1]);

    size_t cap = 1 << 16, have = 0;
    unsigned char *in = malloc(cap);
    long long host_retry = 0;
    for (;;) {
        struct pollfd fds[2 + 2 * MAX_CMDS];
        struct cmd *owner[2 + 2 * MAX_CMDS];
        int *slot[2 + 2 * MAX_CMDS];
        int n = 0, timeout = -1;
        fds[n].fd = sigpipe_fds[0]; fds[n].events = POLLIN; owner[n] = NULL; n++;
        int port_index = -1;
        if (now_ms() >= host_retry) { port_index = n; fds[n].fd = port; fds[n].events = POLLIN; owner[n] = NULL; n++; }
        else timeout = 50;
        for (int i = 0; i < MAX_CMDS; i++) {
            struct cmd *c = &cmds[i];
            if (!c->used) continue;
            if (c->out >= 0) { fds[n].fd = c->out; fds[n].events = POLLIN; owner[n] = c; slot[n] = &c->out; n++; }
            if (c->err >= 0) { fds[n].fd = c->err; fds[n].events = POLLIN; owner[n] = c; slot[n] = &c->err; n++; }
            if (c->exited) {
                long long left = c->drain_until - now_ms();
                int t = left < 0 ? 0 : (int)left;
                if (timeout < 0 || t < timeout) timeout = t;
            }
        }
        int ready = poll(fds, n, timeout);
        if (ready < 0 && errno != EINTR) { perror("drover-agent: poll"); sleep(1); }
        if (ready > 0 && (fds[0].revents & POLLIN)) {
            char drain[64];
            while (read(sigpipe_fds[0], drain, sizeof drain) > 0) { }
        }
        reap();
        for (int i = 1; ready > 0 && i < n; i++) {
            if (i == port_index || !fds[i].revents) continue;
            struct cmd *c = owner[i];
            if (c->used && *slot[i] >= 0) pump(c, slot[i], slot[i] == &c->out ? 'O' : 'E');
        }
        if (port_index >= 0 && ready > 0 && fds[port_index].revents) {
            if (fds[port_index].revents & POLLHUP) {
                host_retry = now_ms() + 50; /* no host on the other end: look again shortly */
            } else {
                if (have == cap) { cap *= 2; in = realloc(in, cap); }
                ssize_t got = read(port, in + have, cap - have);
                if (got > 0) have += got;
                else if (got == 0) host_retry = now_ms() + 50;
                for (;;) {
                    if (have < 9) break;
                    uint32_t len = get32(in + 5);
                    if (len > MAX_FRAME) { fprintf(stderr, "drover-agent: frame too long, dropping input\n"); have = 0; break; }
                    if (have < 9 + (size_t)len) {
                        if (cap < 9 + (size_t)len) { cap = 9 + (size_t)len; in = realloc(in, cap); }
                        break;
                    }
                    unsigned char *frame = malloc(len + 1);
                    memcpy(frame, in + 9, len);
                    frame[len] = 0;
                    unsigned char type = in[0];
                    uint32_t channel = get32(in + 1);
                    memmove(in, in + 9 + len, have - 9 - len);
                    have -= 9 + len;
                    handle(type, channel, frame, len);
                    free(frame);
                }
            }
        }
        for (int i = 0; i < MAX_CMDS; i++) maybe_finish(&cmds[i]);
    }
}
