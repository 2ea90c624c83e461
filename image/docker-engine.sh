# Sourced by ./drover (image), .ci/run and .ci/fresh-machine: a Docker engine of our own when
# none runs, and a Debian bookworm base image made with debootstrap. Functions only; the caller
# sets `set -euo pipefail` and its own say().
#
# The engine runs without a bridge and without iptables rules (--bridge=none --iptables=false
# --ip-masq=false): containers use the host's network, and nothing in the host's firewall or
# interfaces changes, which the sandbox networking tests on the same machine rely on.

DOCKER=/usr/bin/docker # Debian's client (docker.io), matching its engine; not /usr/local/bin's
ENGINE_DOCKERD_PID=""
ENGINE_CONTAINERD_PID=""

engine_running() {
  "$DOCKER" info >/dev/null 2>&1
}

engine_start() { # LOG: starts dockerd unless an engine answers; sets ENGINE_DOCKERD_PID when it started one
  local log="$1" i
  engine_running && return 0
  setsid dockerd --bridge=none --iptables=false --ip-masq=false >"$log" 2>&1 </dev/null &
  ENGINE_DOCKERD_PID=$!
  for ((i = 0; ; i++)); do
    engine_running && break
    if ((i >= 120)) || ! kill -0 "$ENGINE_DOCKERD_PID" 2>/dev/null; then
      tail -n 30 "$log" >&2
      echo "dockerd did not answer within 60 s (its log: $log)" >&2
      return 2
    fi
    sleep 0.5
  done
  ENGINE_CONTAINERD_PID="$(cat /var/run/docker/containerd/containerd.pid 2>/dev/null || true)"
}

umount_under() { # DIR: unmount whatever is mounted at or below DIR, deepest first
  local dir="$1" mnt
  awk -v d="$dir" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/self/mounts | sort -r |
    while read -r mnt; do umount "$mnt" 2>/dev/null || umount -l "$mnt" || true; done
}

engine_stop() { # stops the engine engine_start started, if it started one
  [[ -n "$ENGINE_DOCKERD_PID" ]] || return 0
  kill -TERM "$ENGINE_DOCKERD_PID" 2>/dev/null || true
  local i
  for ((i = 0; i < 60; i++)); do
    kill -0 "$ENGINE_DOCKERD_PID" 2>/dev/null || break
    sleep 0.5
  done
  kill -KILL "$ENGINE_DOCKERD_PID" 2>/dev/null || true
  # dockerd stops the containerd it started; after a SIGKILL it could not.
  if [[ -n "$ENGINE_CONTAINERD_PID" ]] && kill -0 "$ENGINE_CONTAINERD_PID" 2>/dev/null; then
    kill -TERM "$ENGINE_CONTAINERD_PID" 2>/dev/null || true
    sleep 2
    kill -KILL "$ENGINE_CONTAINERD_PID" 2>/dev/null || true
  fi
  umount_under /var/lib/docker
  umount_under /run/docker
  # The engine's parent cgroups, when empty (rmdir refuses the others).
  rmdir /sys/fs/cgroup/docker /sys/fs/cgroup/*/docker 2>/dev/null || true
  ENGINE_DOCKERD_PID=""
}

debian_mirror() { # prints the machine's own Debian mirror (not the security one)
  local mirror
  mirror="$(awk '/^URIs:/ && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)"
  if [[ -z "$mirror" && -f /etc/apt/sources.list ]]; then
    mirror="$(sed -E 's/\[[^]]*\]//' /etc/apt/sources.list | awk '$1 == "deb" && $2 !~ /security/ { print $2; exit }')"
  fi
  echo "${mirror:-http://deb.debian.org/debian}"
}

bookworm_import() { # IMAGE WORK [RUNNER]: debootstrap --variant=minbase bookworm into WORK/rootfs,
  # imported as IMAGE; RUNNER (a command or function name) runs debootstrap, e.g. in a process group
  local image="$1" work="$2" runner="${3:-}" mirror old new
  mirror="$(debian_mirror)"
  if ! $runner debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1; then
    tail -n 30 "$work/debootstrap.log" >&2
    tail -n 30 "$work/rootfs/debootstrap/debootstrap.log" 2>/dev/null >&2 || true
    echo "debootstrap --variant=minbase bookworm from $mirror failed" >&2
    umount_under "$work/rootfs"
    rm -rf --one-file-system "$work/rootfs"
    return 2
  fi
  umount_under "$work/rootfs"
  # Downloaded packages and package lists: images run apt-get update before they install anything.
  rm -rf "$work"/rootfs/var/cache/apt/archives/*.deb "$work"/rootfs/var/lib/apt/lists/*
  old="$("$DOCKER" image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)"
  tar -C "$work/rootfs" --numeric-owner -c . | "$DOCKER" import - "$image" >/dev/null
  new="$("$DOCKER" image inspect -f '{{.Id}}' "$image")"
  if [[ -n "$old" && "$old" != "$new" ]]; then
    "$DOCKER" rmi "$old" >/dev/null 2>&1 || true
  fi
  rm -rf --one-file-system "$work/rootfs"
}
