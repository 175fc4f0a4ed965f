#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds upstream Slurm from source under its own prefix in /opt, next to
# the distribution's packaged Slurm (which stays).  Called by
# contrib/install-deps.sh (make deps); runs on its own too, as root:
#   contrib/build-slurm.sh            Slurm 24.11.5 into /opt/slurm-24.11
# Idempotent: nothing is fetched or rebuilt when the prefix already holds
# that version built with the same configure options (checked with
# slurmd -V: 24.11's srun wants a slurm.conf, even one found by DNS).
#
# Source: the upstream tarball of Debian 13's slurm-wlm package
# (slurm-wlm_<version>.orig.tar.gz).  Its URI and SHA256 come from Debian
# 13's signed Sources index, read with a PRIVATE apt configuration (its
# own source list, lists and cache in a scratch directory; the machine's
# apt state is not touched); the mirror is the one the machine's own apt
# sources use for Debian.
set -euo pipefail

SLURM_VERSION=${SLURM_VERSION:-24.11.5}
SLURM_SERIES=${SLURM_VERSION%.*}
SLURM_PREFIX=${SLURM_PREFIX:-/opt/slurm-$SLURM_SERIES}
# Configuration lives in /etc/slurm-<series> (not $prefix/etc): the test
# lab replaces it per network namespace through /etc/netns/NS/.
SLURM_SYSCONFDIR=${SLURM_SYSCONFDIR:-/etc/slurm-$SLURM_SERIES}
SLURM_SRC_SUITE=${SLURM_SRC_SUITE:-trixie}
BUILD_ROOT=${BUILD_ROOT:-/var/tmp/spank-spark-build}
JOBS=${JOBS:-2}
# --enable-multiple-slurmd: several slurmd on one machine (the lab) keep
# their cgroup roots apart (slurm_<nodename>); nothing else changes.
CONFIGURE_OPTS=(--prefix="$SLURM_PREFIX" --sysconfdir="$SLURM_SYSCONFDIR"
	--enable-multiple-slurmd --disable-debug)

log() { echo "build-slurm: $*"; }
die() {
	echo "build-slurm: $*" >&2
	exit 1
}

[ "$(id -u)" -eq 0 ] || die "must run as root (writes $SLURM_PREFIX)"

stamp="$SLURM_PREFIX/.spank-spark-build"
want_stamp="slurm $SLURM_VERSION ${CONFIGURE_OPTS[*]}"
if [ -x "$SLURM_PREFIX/sbin/slurmd" ] && [ -f "$stamp" ] &&
	[ "$(cat "$stamp")" = "$want_stamp" ] &&
	"$SLURM_PREFIX/sbin/slurmd" -V 2>/dev/null | grep -qx "slurm $SLURM_VERSION"; then
	log "slurm $SLURM_VERSION already in $SLURM_PREFIX (nothing to do)"
	exit 0
fi

# The Debian mirror the machine's own apt sources use: one-line entries in
# sources.list and *.list, deb822 stanzas in *.sources; the first enabled
# "deb" entry for this release's codename wins.
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
[ -n "$codename" ] || die "no VERSION_CODENAME in /etc/os-release"
mirror_and_key() {
	local f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk -v cn="$codename" '
			/^[ \t]*deb[ \t]/ {
				key = ""; i = 2
				if ($2 ~ /^\[/) {
					for (; i <= NF; i++) {
						if ($i ~ /signed-by=/) { key = $i; sub(/.*signed-by=/, "", key); sub(/\]$/, "", key) }
						if ($i ~ /\]$/) { i++; break }
					}
				}
				if ($(i + 1) == cn) { print $i, key; exit }
			}' "$f"
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk -v cn="$codename" '
			function flush() {
				if (types ~ /(^| )deb( |$)/ && enabled !~ /^(no|false)$/ && (" " suites " ") ~ (" " cn " ") && uris != "") {
					split(uris, u, " "); print u[1], key; found = 1; exit
				}
				types = uris = suites = key = enabled = ""
			}
			/^[ \t]*#/ { next }
			/^[ \t]*$/ { flush(); next }
			{
				k = tolower($1); sub(/:$/, "", k); v = $0; sub(/^[^:]*:[ \t]*/, "", v)
				if (k == "types") types = v
				else if (k == "uris") uris = v
				else if (k == "suites") suites = v
				else if (k == "signed-by") key = v
				else if (k == "enabled") enabled = tolower(v)
			}
			END { if (!found) flush() }' "$f"
	done
}
read -r mirror key < <(mirror_and_key | head -n1) || true
[ -n "${mirror:-}" ] || die "no Debian '$codename' entry in /etc/apt/sources.list*"
mirror=${mirror%/}
[ -n "${key:-}" ] && [ -f "$key" ] || key=/usr/share/keyrings/debian-archive-keyring.gpg
log "mirror $mirror (from the machine's apt sources), keyring $key"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/parts" "$tmp/lists/partial" "$tmp/cache/archives/partial"
echo "deb-src [signed-by=$key] $mirror $SLURM_SRC_SUITE main" >"$tmp/sources.list"
apt_private=(-o Dir::Etc::SourceList="$tmp/sources.list"
	-o Dir::Etc::SourceParts="$tmp/parts"
	-o Dir::State::Lists="$tmp/lists"
	-o Dir::Cache="$tmp/cache"
	-o APT::Sandbox::User=root)
log "reading $SLURM_SRC_SUITE's signed Sources index (private apt configuration)"
apt-get -qq "${apt_private[@]}" update >/dev/null
orig="slurm-wlm_$SLURM_VERSION.orig.tar.gz"
line=$(apt-get -qq "${apt_private[@]}" --print-uris source "slurm-wlm" 2>/dev/null |
	grep -F " $orig " | head -n1) ||
	die "$SLURM_SRC_SUITE's slurm-wlm does not list $orig"
# 'URI' NAME SIZE SHA256:HEX
uri=$(echo "$line" | awk '{gsub(/\047/, "", $1); print $1}')
sha=$(echo "$line" | awk '{print $4}')
sha=${sha#SHA256:}
[[ $sha =~ ^[0-9a-f]{64}$ ]] || die "no SHA256 for $orig in the index: $line"

mkdir -p "$BUILD_ROOT"
tarball="$BUILD_ROOT/$orig"
if ! echo "$sha  $tarball" | sha256sum -c --status - 2>/dev/null; then
	log "downloading $uri"
	rm -f "$tarball.part"
	# apt's own downloader: same transport and proxy settings as apt.
	/usr/lib/apt/apt-helper "${apt_private[@]}" download-file "$uri" "$tarball.part" "SHA256:$sha" >/dev/null ||
		die "download of $uri failed"
	echo "$sha  $tarball.part" | sha256sum -c --quiet - || die "SHA256 mismatch for $uri"
	mv "$tarball.part" "$tarball"
fi
log "$orig: SHA256 $sha verified"

src="$BUILD_ROOT/slurm-$SLURM_VERSION"
rm -rf "$src"
mkdir -p "$src"
tar -xzf "$tarball" -C "$src" --strip-components=1
cd "$src"
log "configure ${CONFIGURE_OPTS[*]}"
./configure -q "${CONFIGURE_OPTS[@]}" >"$BUILD_ROOT/configure.log" 2>&1 ||
	die "configure failed: see $BUILD_ROOT/configure.log"
log "make -j$JOBS (a few minutes)"
make -s -j"$JOBS" >"$BUILD_ROOT/make.log" 2>&1 || die "make failed: see $BUILD_ROOT/make.log"
rm -f "$stamp"
make -s install >"$BUILD_ROOT/install.log" 2>&1 || die "make install failed: see $BUILD_ROOT/install.log"
mkdir -p "$SLURM_SYSCONFDIR"
echo "$want_stamp" >"$stamp"
cd /
rm -rf "$src"
log "$("$SLURM_PREFIX/sbin/slurmd" -V) installed in $SLURM_PREFIX"
