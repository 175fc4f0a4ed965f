#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make bench-fresh: how long a newcomer waits on a fresh machine, from
# `make deps` to the demo's first result, without changing this machine.
# It runs in an overlay of / (upper layer on a tmpfs, private mount
# namespace, chroot) in which what a fresh Debian 12 image of this kind
# lacks is purged (Slurm's packages, munge, jansson's headers, sshd; the
# image has the JDK), with apt's lists and cache, pip's cache and the Spark
# venvs gone, then clones this checkout's HEAD and runs make deps && make
# demo, each line stamped with the seconds since make deps started.  It
# holds the lab's lock: the overlay's lab uses the same interface names.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || {
	echo "fresh-machine: needs root (mounts, chroot, the lab)" >&2
	exit 1
}
top=/var/tmp/spank-spark-fresh
src=$(pwd)
mkdir -p "$top/t" "$top/merged"
mountpoint -q "$top/t" || mount -t tmpfs -o size=8g tmpfs "$top/t"
# Whatever the demo left running in the overlay (the lab's daemons, if
# lab-down failed there) goes before the overlay does.
in_overlay() {
	local p
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/root" 2>/dev/null)" = "$top/merged" ] && echo "${p#/proc/}"
	done
	return 0
}
finish() {
	local pids
	pids=$(in_overlay)
	if [ -n "$pids" ]; then
		echo "fresh-machine: stopping what the overlay's lab left: $(echo "$pids" | wc -l) processes" >&2
		# shellcheck disable=SC2086 # a list of pids
		kill -TERM $pids 2>/dev/null || true
		sleep 3
		pids=$(in_overlay)
		# shellcheck disable=SC2086
		[ -z "$pids" ] || kill -KILL $pids 2>/dev/null || true
	fi
	umount -R "$top/merged" 2>/dev/null || true
	umount "$top/t" 2>/dev/null || true
}
trap finish EXIT
rm -rf "$top/t/upper" "$top/t/work"
mkdir -p "$top/t/upper" "$top/t/work"
exec 9>/var/tmp/spank-spark-lab.lock
flock 9
# shellcheck disable=SC2016 # expanded inside the namespace and the chroot
unshare -m --propagation private env TOP="$top" SRC="$src" bash -c '
set -euo pipefail
mount -t overlay overlay -o lowerdir=/,upperdir=$TOP/t/upper,workdir=$TOP/t/work "$TOP/merged"
for d in proc sys dev; do mount --rbind "/$d" "$TOP/merged/$d"; done
mount -t tmpfs tmpfs "$TOP/merged/run/netns"
exec chroot "$TOP/merged" env SRC="$SRC" bash -c '"'"'
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get purge -y -qq --autoremove slurmd slurmctld slurm-client libslurm-dev \
	munge libmunge-dev libjansson-dev openssh-server >/dev/null 2>&1
apt-get clean
rm -rf /var/lib/apt/lists/* /opt/spank-spark /root/.cache/pip /var/tmp/spank-spark-lab
for c in slurmd munged sshd; do
	if command -v "$c" >/dev/null; then echo "fresh-machine: $c still there" >&2; exit 1; fi
done
git clone -q --no-local "file://$SRC" /root/fresh && cd /root/fresh
echo "fresh-machine: $(git log --oneline -1 | cut -c1-60); no Slurm, munge, sshd, apt lists, pip cache or Spark"
start=$(date +%s%N)
stamp() { while IFS= read -r l; do printf "%6.1f %s\n" "$(( ($(date +%s%N) - start) / 1000000 ))e-3" "$l"; done; }
{ make -s deps && make -s demo; } 2>&1 | stamp
make -s lab-down || echo "fresh-machine: lab-down failed in the overlay" >&2
'"'"'
'
