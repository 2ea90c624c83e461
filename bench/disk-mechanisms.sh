#!/usr/bin/env bash
# What each way of giving a sandbox a size-limited /workspace + /tmp costs, in shell loops on this
# machine: ./bench/disk-mechanisms.sh [size, default 10G] [runs, default 7]. Prints the median in
# microseconds of each step. Needs root, mke2fs and loop devices; leaves nothing behind.
# The figures chose the process driver's mechanism (docs/sandboxes.md, Disk limits).
set -euo pipefail
size=${1:-10G}
runs=${2:-7}
dir=$(mktemp -d "${TMPDIR:-/var/tmp}/drover-disk-bench.XXXXXX")
mkdir "$dir/mnt"
cleanup() {
  umount "$dir/mnt" 2>/dev/null || true
  for image in "$dir"/*.img; do
    [ -e "$image" ] && losetup -j "$image" | cut -d: -f1 | xargs -r -n1 losetup -d
  done
  rm -rf "$dir"
}
trap cleanup EXIT

us() { local s; s=$(date +%s%N); "$@" >/dev/null 2>&1; echo $(( ($(date +%s%N) - s) / 1000 )); }
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
report() { printf '%-72s %8s us\n' "$1" "$(median)"; }

lazy=(-q -F -t ext4 -m 0 -E lazy_itable_init=1,lazy_journal_init=1,nodiscard)
cd "$dir"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg); image size $size; $runs runs each (median)"
for i in $(seq "$runs"); do rm -f a.img; truncate -s "$size" a.img; us mke2fs "${lazy[@]}" a.img; done \
  | report "mke2fs, journal, lazy init"
for i in $(seq "$runs"); do rm -f a.img; truncate -s "$size" a.img; us mke2fs "${lazy[@]}" -O ^has_journal a.img; done \
  | report "mke2fs -O ^has_journal, lazy init"
for i in $(seq "$runs"); do rm -f a.img; truncate -s "$size" a.img; us mke2fs "${lazy[@]}" -O ^has_journal,^resize_inode a.img; done \
  | report "mke2fs -O ^has_journal,^resize_inode, lazy init (chosen)"
echo "$(du -k a.img | cut -f1) KiB allocated by the chosen mke2fs" | sed 's/^/  /'
cp a.img template.img
for i in $(seq "$runs"); do rm -f b.img; us cp --sparse=always template.img b.img; done \
  | report "cp --sparse=always of a made template (instead of mke2fs)"
for i in $(seq "$runs"); do
  us mount -o loop,nodev,nosuid,noatime,noinit_itable b.img mnt >> mount.us
  us umount mnt >> umount.us
done
report "mount -o loop (attach + mount)" < mount.us
report "umount (autoclear detaches the loop device)" < umount.us
for i in $(seq "$runs"); do us mount -t tmpfs -o size="$size" tmpfs mnt; umount mnt; done \
  | report "tmpfs size=$size mount (counts against memory)"
