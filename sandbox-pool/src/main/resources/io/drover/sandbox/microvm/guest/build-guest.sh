#!/usr/bin/env bash
# Builds the microVM driver's guest image from Debian packages only:
#   vmlinuz        the kernel of linux-image-cloud-amd64 (whatever version that meta-package names)
#   initrd.img     busybox-static, bash-static, drover-agent (compiled here from agent.c), the
#                  virtio and overlay modules the guest needs, and the init script; the guest root lives in it
#   workspace.qcow2 an empty ext4 file system, the bottom of every base's /workspace disk
#   guest.properties what was built from what
# Usage: build-guest.sh OUT_DIR [WORKSPACE_SIZE (default 4G)]
# Needs: apt-get (with package lists), dpkg, gcc + libc6-dev (static), cpio, gzip, mkfs.ext4, qemu-img.
set -euo pipefail

out=${1:?usage: build-guest.sh OUT_DIR [WORKSPACE_SIZE]}
size=${2:-4G}
src=$(cd "$(dirname "$0")" && pwd)
for tool in apt-get apt-cache dpkg gcc cpio gzip mkfs.ext4 qemu-img; do
  command -v "$tool" >/dev/null || { echo "build-guest: $tool is missing (apt-get install gcc libc6-dev cpio e2fsprogs qemu-utils)" >&2; exit 2; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

kernel_pkg=$(apt-cache depends linux-image-cloud-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
[ -n "$kernel_pkg" ] || { echo "build-guest: apt-cache knows no linux-image-cloud-amd64; run apt-get update" >&2; exit 2; }
echo "build-guest: downloading $kernel_pkg busybox-static bash-static" >&2
if ! apt-get download -q "$kernel_pkg" busybox-static bash-static > download.log 2>&1; then
  cat download.log >&2
  echo "build-guest: apt-get download failed (is Debian's archive reachable? run apt-get update)" >&2
  exit 2
fi
echo "build-guest: unpacking the packages" >&2
for deb in ./*.deb; do dpkg -x "$deb" pkg; done
kver=$(ls pkg/lib/modules)

root=$work/root
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,workspace,etc,root,lib/modules}
cp pkg/bin/busybox "$root/bin/busybox"
for applet in $("$root/bin/busybox" --list); do
  [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
cp pkg/bin/bash-static "$root/bin/bash"
ln -sf bash "$root/bin/sh"
echo "build-guest: compiling drover-agent (gcc -static)" >&2
gcc -static -O2 -Wall -o "$root/sbin/drover-agent" "$src/agent.c"
strip "$root/sbin/drover-agent" 2>/dev/null || true
install -m 0755 "$src/init" "$root/init"
printf 'root:x:0:0:root:/root:/bin/bash\n' > "$root/etc/passwd"
printf 'root:x:0:\n' > "$root/etc/group"
printf '127.0.0.1 localhost\n' > "$root/etc/hosts"

# The modules the guest needs, each after what it depends on (the depends= field of its .modinfo;
# the package ships no modules.dep, and depmod is not needed for this).
moddir=pkg/lib/modules/$kver
declare -A loaded=()
order=()
module_file() { # a module name (dashes and underscores are the same) -> its path under $moddir
  local pattern=${1//[-_]/[-_]}
  find "$moddir/kernel" -regextype posix-extended -regex ".*/${pattern}\.ko(\.xz|\.zst)?" -print -quit
}
add_module() {
  local name=$1 file dep
  [ -n "${loaded[$name]:-}" ] && return
  loaded[$name]=1
  file=$(module_file "$name")
  [ -n "$file" ] || { echo "build-guest: $kver has no module $name" >&2; exit 2; }
  for dep in $(modinfo_depends "$file" | tr ',' ' '); do
    add_module "$dep"
  done
  order+=("${file#$moddir/}")
}
modinfo_depends() {
  case "$1" in
    *.xz) xz -dc "$1" ;;
    *.zst) zstd -qdc "$1" ;;
    *) cat "$1" ;;
  esac | tr '\0' '\n' | sed -n 's/^depends=//p' | head -1
}
echo "build-guest: adding the virtio and overlay modules of $kver" >&2
for name in virtio_mmio virtio_console virtio_blk overlay; do
  add_module "$name"
done
for rel in "${order[@]}"; do
  flat=$(basename "$rel")
  case "$flat" in
    *.xz) xz -dc "$moddir/$rel" > "$root/lib/modules/${flat%.xz}"; flat=${flat%.xz} ;;
    *.zst) zstd -qdc "$moddir/$rel" > "$root/lib/modules/${flat%.zst}"; flat=${flat%.zst} ;;
    *) cp "$moddir/$rel" "$root/lib/modules/$flat" ;;
  esac
  echo "$flat" >> "$root/lib/modules/load-order"
done

stage=$out.building-$$
rm -rf "$stage"
mkdir -p "$stage"
cp "pkg/boot/vmlinuz-$kver" "$stage/vmlinuz"
echo "build-guest: packing the initramfs" >&2
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -6 > "$stage/initrd.img"
echo "build-guest: making the $size workspace disk (ext4, qcow2)" >&2
truncate -s "$size" workspace.raw
mkfs.ext4 -q -F -L workspace -m 0 -O ^has_journal -E lazy_itable_init=0,lazy_journal_init=0 workspace.raw
qemu-img convert -q -f raw -O qcow2 workspace.raw "$stage/workspace.qcow2"
agent_sha=$(sha256sum "$src/agent.c" | cut -c1-16)
cat > "$stage/guest.properties" <<PROPS
kernel=$kver
kernelPackage=$kernel_pkg
busybox=$(dpkg-deb -f ./busybox-static_*.deb Version)
bash=$(dpkg-deb -f ./bash-static_*.deb Version)
agentProtocol=1
agentSource=$agent_sha
modules=${order[*]}
workspaceSize=$size
builtAt=$(date -u +%Y-%m-%dT%H:%M:%SZ)
PROPS
rm -rf "$out"
mkdir -p "$(dirname "$out")"
mv "$stage" "$out"
echo "build-guest: guest image ready in $out (kernel $kver)" >&2
