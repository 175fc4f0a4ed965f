#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make rpm: a binary RPM of the plugin, the helper, the example
# configuration and the man page from contrib/spank-spark.spec, requiring
# the Slurm version it is built against (contrib/slurm-version.sh).  Builds
# with rpmbuild on an RPM distribution, or on Debian with its rpm package
# (then without checking BuildRequires, which Debian's rpm database lacks).
#   contrib/build-rpm.sh [OUTDIR]      (default: the current directory)
# Environment: VERSION, CC, SLURM_INCLUDES, SLURM_PREFIX as for build-deb.sh.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
out=$(cd "${1:-.}" && pwd)
version=${VERSION:-$(make -s -C "$src" --no-print-directory version)}
slurm=$("$src/contrib/slurm-version.sh")
command -v rpmbuild >/dev/null || {
	echo "build-rpm: rpmbuild not found (Debian: apt-get install rpm)" >&2
	exit 1
}

top=$(mktemp -d)
trap 'rm -rf "$top"' EXIT
mkdir -p "$top/SOURCES" "$top/stage/spank-spark-$version"
tar -C "$src" --exclude=./.git --exclude=./tests/lab/work --exclude=./rpmbuild \
	--exclude='./spank-spark[-_]*' -cf - . | tar -C "$top/stage/spank-spark-$version" -xf -
make -C "$top/stage/spank-spark-$version" -s clean
tar -C "$top/stage" -czf "$top/SOURCES/spank-spark-$version.tar.gz" "spank-spark-$version"

# An rpm that does not know itself is Debian's: no RPM database to check
# BuildRequires against, no debuginfo tool chain to rely on.
foreign=()
rpm -q rpm >/dev/null 2>&1 || foreign=(--nodeps --define "debug_package %{nil}" --define "__brp_compress %{nil}")
rpmbuild -bb "${foreign[@]}" --quiet \
	--define "_topdir $top" \
	--define "version_ $version" \
	--define "slurm_version $slurm" \
	"$src/contrib/spank-spark.spec" >&2
for f in "$top"/RPMS/*/spank-spark-"$version"-*.rpm; do
	cp "$f" "$out/"
	echo "$out/$(basename "$f")"
done
