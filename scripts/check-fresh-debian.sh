#!/usr/bin/env bash
# Runs the README's two set-up commands on a fresh, minimal Debian 12 (bookworm) root, each in a
# root of its own, so that a package the project needs but its set-up script does not install
# fails here instead of on a new user's machine (issue 8: `cmark` was missing and CI, on a machine
# where it had been installed by hand, did not notice).
#
#   scripts/check-fresh-debian.sh [samples|tests|both]     (default: both; needs root)
#
# Each root is built with `mmdebstrap --variant=apt bookworm` (Essential packages and apt, nothing
# else: no compiler, no git), from the mirror this machine's apt uses. The committed HEAD of this
# checkout is cloned into ROOT/work/main and ../shared (or $TEIKIT_SHARED) copied beside it, as
# on a developer's machine; then the README's command runs there in a chroot, as root. The
# commands are read from the README itself (the indented lines that start with
# ./scripts/setup-debian.sh), so the check follows the README. Logs: $TEIKIT_FRESH_DIR (default
# /tmp/teikit-fresh)/<command>.log. Exit status: 0 when every command passed.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
which_commands=${1:-both}
work=${TEIKIT_FRESH_DIR:-/tmp/teikit-fresh}
shared=${TEIKIT_SHARED:-$top/../shared}

if [ "$(id -u)" -ne 0 ]; then
  echo "check-fresh-debian: needs root (mmdebstrap and chroot)" >&2
  exit 1
fi
if ! command -v mmdebstrap >/dev/null; then
  echo "check-fresh-debian: installing mmdebstrap"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap >/dev/null
fi

# The README's two commands, in the order it gives them.
mapfile -t commands < <(grep -E '^    \./scripts/setup-debian\.sh' README.md | sed 's/^    //')
if [ ${#commands[@]} -ne 2 ]; then
  echo "check-fresh-debian: expected two set-up commands in README.md, found ${#commands[@]}" >&2
  exit 1
fi
case "$which_commands" in
  samples) commands=("${commands[0]}") ;;
  tests) commands=("${commands[1]}") ;;
  both) ;;
  *) echo "usage: $0 [samples|tests|both]" >&2; exit 1 ;;
esac

# The mirror apt uses here (a deb822 sources file or a one-line sources.list).
mirror=$( (cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null || true) |
         grep -E '^(URIs:|deb )' | grep -v security | head -n 1 |
         sed -E 's/^URIs: *//; s/^deb +(\[[^]]*\] +)?//; s/ .*//' || true)
mirror=${mirror:-http://deb.debian.org/debian}

mkdir -p "$work"
root=""
cleanup() {
  [ -n "$root" ] || return 0
  for m in dev proc sys; do umount -R -l "$root/$m" 2>/dev/null || true; done
  rm -rf --one-file-system "$root"
}
trap cleanup EXIT

failed=0
index=0
for command in "${commands[@]}"; do
  index=$((index + 1))
  log="$work/command-$index.log"
  root=$(mktemp -d "$work/root.XXXXXX")
  echo "== fresh root $root: $command"
  start=$(date +%s)
  mmdebstrap --quiet --variant=apt bookworm "$root" "$mirror" >"$log" 2>&1
  cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
  # Like resolv.conf, the network's trust goes in: where this host reaches the npm registry
  # through a certificate authority of its own network (NODE_EXTRA_CA_CERTS), a machine on that
  # network has it too. Nothing the project installs comes from it.
  ca_env=()
  if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -r "$NODE_EXTRA_CA_CERTS" ]; then
    cp "$NODE_EXTRA_CA_CERTS" "$root/etc/network-ca.crt"
    ca_env=(NODE_EXTRA_CA_CERTS=/etc/network-ca.crt)
  fi
  mkdir -p "$root/work"
  git clone --quiet "$top" "$root/work/main"
  if [ -d "$shared" ]; then cp -a "$shared" "$root/work/shared"; fi
  mount -t proc proc "$root/proc"
  mount -t sysfs sys "$root/sys"
  mount --rbind /dev "$root/dev"
  status=0
  # PATH as a root login on Debian has it (/etc/profile): /usr/local/bin holds what the set-up
  # installs outside apt (pagefind).
  chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
    "${ca_env[@]}" /bin/bash -c "cd /work/main && $command" >>"$log" 2>&1 || status=$?
  seconds=$(( $(date +%s) - start ))
  if [ $status -eq 0 ]; then
    echo "   passed in ${seconds} s (log: $log)"
  else
    echo "   FAILED with exit $status after ${seconds} s; last lines of $log:"
    tail -n 15 "$log" | sed 's/^/   | /'
    failed=1
  fi
  tail -n 3 "$log" | sed 's/^/   > /'
  cleanup
  root=""
done
exit $failed
