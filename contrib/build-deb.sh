#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make deb: a Debian package of the plugin, the helper, the example
# configuration and the man page, built in a scratch copy of the tree with
# Debian's paths compiled in, and tied to the Slurm it is built against.
#   contrib/build-deb.sh [OUTDIR]      (default: the current directory)
# Environment (make deb sets the first ones):
#   VERSION           package version (the Makefile's)
#   CC, SLURM_INCLUDES, SLURM_PREFIX   where Slurm's headers are
#                     (contrib/slurm-version.sh)
#   SLURM_DEB_DEPENDS the Slurm dependency, instead of the detected one
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
out=$(cd "${1:-.}" && pwd)
version=${VERSION:-$(make -s -C "$src" --no-print-directory version)}
arch=$(dpkg --print-architecture)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)

# The Slurm this plugin is built against.  When its headers come from a
# Debian package (libslurm-dev), the plugin is tied to exactly that build
# of Slurm, like every plugin Debian's Slurm ships; a Slurm built from
# source (SLURM_PREFIX) only has an upstream version: any Debian revision
# of it will do.
slurm=$("$src/contrib/slurm-version.sh")
header=$("$src/contrib/slurm-version.sh" --header 2>/dev/null) || header=
owner=
if [ -n "$header" ]; then
	owner=$(dpkg-query -S "$(readlink -f "$header")" 2>/dev/null | cut -d: -f1 | head -n 1) || owner=
fi
if [ -n "${SLURM_DEB_DEPENDS+set}" ]; then
	slurm_dep=$SLURM_DEB_DEPENDS
elif [ -n "$owner" ]; then
	debver=$(dpkg-query -W -f='${Version}' "$owner")
	upstream=${debver#*:}
	upstream=${upstream%-*}
	case $upstream in
	"$slurm" | "$slurm"[+~.]*) ;;
	*)
		echo "build-deb: $header says Slurm $slurm but $owner is $debver" >&2
		exit 1
		;;
	esac
	slurm_dep="slurm-wlm-basic-plugins (= $debver)"
else
	slurm_dep="slurm-wlm-basic-plugins (>= $slurm), slurm-wlm-basic-plugins (<< $slurm+1~)"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/src" "$work/root"
tar -C "$src" --exclude=./.git --exclude=./tests/lab/work --exclude=./rpmbuild \
	--exclude='./spank-spark[-_]*' -cf - . | tar -C "$work/src" -xf -
make -C "$work/src" -s clean
make -C "$work/src" -s all install DESTDIR="$work/root" PREFIX=/usr \
	LIBEXECDIR=/usr/libexec/spank-spark \
	SLURM_PLUGIN_DIR="/usr/lib/$multiarch/slurm-wlm" SYSCONFDIR=/etc/slurm

# Debian policy: compressed man page, copyright instead of LICENSE, the
# libraries' dependencies from dpkg-shlibdeps.
root=$work/root
gzip -9n "$root/usr/share/man/man8/spank-spark.8"
gzip -9n "$root/usr/share/doc/spank-spark/NEWS"
rm "$root/usr/share/doc/spank-spark/LICENSE"
cat >"$root/usr/share/doc/spank-spark/copyright" <<COPYRIGHT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: spank-spark

Files: *
Copyright: spank-spark developers
License: GPL-2.0-or-later
 This program is free software; you can redistribute it and/or modify it
 under the terms of the GNU General Public License as published by the Free
 Software Foundation; either version 2 of the License, or (at your option)
 any later version.
 .
 On Debian systems, the complete text of the GNU General Public License
 version 2 can be found in /usr/share/common-licenses/GPL-2.
COPYRIGHT
mkdir -p "$work/src/debian"
printf 'Source: spank-spark\n\nPackage: spank-spark\nArchitecture: any\n' >"$work/src/debian/control"
shlibs=$(cd "$work/src" && dpkg-shlibdeps -O -e"$root/usr/libexec/spank-spark/spank-spark-helper" -e"$root/usr/bin/spank-spark-urls" \
	-e"$root/usr/lib/$multiarch/slurm-wlm/spank_spark.so" 2>/dev/null | sed -n 's/^shlibs:Depends=//p') || shlibs=
shlibs=${shlibs:-libc6, libmunge2, libjansson4}

mkdir -p "$root/DEBIAN"
echo /etc/slurm/plugstack.conf.d/spark.conf.example >"$root/DEBIAN/conffiles"
cat >"$root/DEBIAN/control" <<CONTROL
Package: spank-spark
Version: $version-1
Architecture: $arch
Maintainer: spank-spark developers <dev@spank-spark.invalid>
Depends: $shlibs, $slurm_dep, munge
Section: admin
Priority: optional
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Description: Apache Spark applications as Slurm job steps
 A SPANK plugin that adds --spark-* options to srun, sbatch and salloc,
 and a helper that runs each Spark step as a private, munge-authenticated
 Spark application inside the allocation (cluster or client mode), its
 executors straight under the Slurm tasks.
 Built against Slurm $slurm.  Enable it with one line in plugstack.conf;
 see /etc/slurm/plugstack.conf.d/spark.conf.example and spank-spark(8).
CONTROL
# The class cache is made for the site's Spark, so on the site's machine.
cat >"$root/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
if [ "$1" = configure ] && [ -r /etc/slurm/plugstack.conf.d/spark.conf ]; then
	/usr/libexec/spank-spark/spank-spark-class-cache --if-stale ||
		echo "spank-spark: no class cache made (above); steps start without it" >&2
fi
POSTINST
cat >"$root/DEBIAN/postrm" <<'POSTRM'
#!/bin/sh
set -e
if [ "$1" = purge ]; then
	rm -rf /var/cache/spank-spark
fi
POSTRM
chmod 0755 "$root/DEBIAN/postinst" "$root/DEBIAN/postrm"
deb=$out/spank-spark_$version-1_$arch.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
