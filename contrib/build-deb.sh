#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make deb: a Debian package of the plugin and the helper, built in a
# scratch copy of the tree with Debian's paths compiled in.
#   contrib/build-deb.sh [OUTDIR]      (default: the current directory)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
out=$(cd "${1:-.}" && pwd)
version=$(git -C "$src" describe --tags --always 2>/dev/null | sed 's/^v//; s/-/+/g')
version=${version:-0.0.0}
case $version in [0-9]*) ;; *) version=0.0.0+$version ;; esac
arch=$(dpkg --print-architecture)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cp -r "$src/Makefile" "$src/plugin" "$src/helper" "$src/etc" "$work/"
make -C "$work" -s clean
make -C "$work" -s all install DESTDIR="$work/root" PREFIX=/usr \
	LIBEXECDIR=/usr/libexec/spank-spark \
	SLURM_PLUGIN_DIR="/usr/lib/$multiarch/slurm-wlm" SYSCONFDIR=/etc/slurm
install -D -m 0644 "$src/README.md" "$work/root/usr/share/doc/spank-spark/README.md"
slurm=$(dpkg-query -W -f='${Version}' slurmd 2>/dev/null | cut -d- -f1)
mkdir -p "$work/root/DEBIAN"
cat >"$work/root/DEBIAN/control" <<CONTROL
Package: spank-spark
Version: $version
Architecture: $arch
Maintainer: spank-spark developers <dev@spank-spark.invalid>
Depends: slurmd (>= ${slurm:-22.05}), slurm-client (>= ${slurm:-22.05}), munge, libmunge2, libjansson4
Section: admin
Priority: optional
Description: Apache Spark applications as Slurm job steps
 A SPANK plugin that adds --spark-* options to srun, sbatch and salloc,
 and a helper that runs each Spark step as a private, munge-authenticated
 Spark standalone cluster inside the allocation (cluster or client mode).
 Enable it with one line in plugstack.conf; see
 /etc/slurm/plugstack.conf.d/spark.conf.example.
CONTROL
deb=$out/spank-spark_${version}_$arch.deb
dpkg-deb --root-owner-group --build "$work/root" "$deb" >/dev/null
echo "$deb"
