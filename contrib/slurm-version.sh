#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Prints the version of the Slurm whose headers the build compiles against,
# e.g. 22.05.8 (with --header: the path of that slurm/slurm_version.h).
# Reads $SLURM_PREFIX/include/slurm/slurm_version.h when SLURM_PREFIX is
# set (a Slurm built from source), else the header the compiler finds for
# <slurm/slurm_version.h> ($CC, $SLURM_INCLUDES: -I options), and takes SLURM_VERSION_STRING, else decodes SLURM_VERSION_NUMBER (Debian's
# header has only the number); falls back to `pkg-config --modversion slurm`.
#   contrib/slurm-version.sh [--header]
set -eu
cc=${CC:-cc}
inc=${SLURM_INCLUDES:-}

if [ -n "${SLURM_PREFIX:-}" ]; then
	header=$SLURM_PREFIX/include/slurm/slurm_version.h
	[ -f "$header" ] || header=
else
	# shellcheck disable=SC2086 # $inc is a list of -I options
	header=$(printf '#include <slurm/slurm_version.h>\n' |
		"$cc" $inc -M -E -x c - 2>/dev/null | tr -s ' \134' '\n' |
		grep '/slurm/slurm_version\.h$' | head -n 1) || header=
fi
if [ "${1:-}" = --header ]; then
	[ -n "$header" ] || exit 1
	echo "$header"
	exit 0
fi

version=
if [ -n "$header" ]; then
	version=$(sed -n 's/^#define[[:space:]]*SLURM_VERSION_STRING[[:space:]]*"\(.*\)".*/\1/p' \
		"$header" | head -n 1)
	if [ -z "$version" ]; then
		num=$(sed -n 's/^#define[[:space:]]*SLURM_VERSION_NUMBER[[:space:]]*\(0x[0-9a-fA-F]*\).*/\1/p' \
			"$header" | head -n 1)
		if [ -n "$num" ]; then
			version=$(printf '%d.%02d.%d' $((num >> 16 & 255)) \
				$((num >> 8 & 255)) $((num & 255)))
		fi
	fi
fi
if [ -z "$version" ] && [ -z "${SLURM_PREFIX:-}" ]; then
	version=$(pkg-config --modversion slurm 2>/dev/null) || version=
fi
if [ -z "$version" ]; then
	echo "slurm-version: no Slurm headers found${SLURM_PREFIX:+ in $SLURM_PREFIX/include}" \
		"(install libslurm-dev, or set SLURM_PREFIX)" >&2
	exit 1
fi
echo "$version"
