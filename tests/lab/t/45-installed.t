#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The plugin as a site installs it: make install into a prefix of the lab's,
# plugstack.conf naming only the installed plugin (the helper and the jar
# found through the defaults compiled in by make install), and a Spark step
# run through it.
set -uo pipefail
# shellcheck source=tests/lab/tap.sh disable=SC1091
. "$(dirname "$0")/../tap.sh"
# shellcheck source=tests/lab/lib.sh disable=SC1091
. "$(dirname "$0")/../lib.sh"
install_apps

inst=$LAB_DIR/installed
src=$(mktemp -d)
rm -rf "$inst"
# A copy of the tree, so that the tree's own build keeps its paths.
cp -a "$LAB_SRC/." "$src/"
log=$(mktemp)
make -s -C "$src" install PREFIX="$inst" SLURM_PLUGIN_DIR="$inst/lib/slurm" \
	SYSCONFDIR="$inst/etc" >"$log" 2>&1
ok $? "make install PREFIX=$inst" || diag "$(tail -n 20 "$log")"
for f in lib/slurm/spank_spark.so libexec/spank-spark/spank-spark-helper \
	libexec/spank-spark/spank-spark.jar libexec/spank-spark/spank-spark.jar.args \
	etc/plugstack.conf.d/spark.conf.example share/man/man8/spank-spark.8; do
	[ -f "$inst/$f" ]
	ok $? "installed $f"
done
# The lab's line, with the installed plugin and no helper= or jar=.
_keep_plugstack
sed -E -e "1s#^required [^ ]*#required $inst/lib/slurm/spank_spark.so#" \
	-e '1s# (helper|jar)=[^ ]*##g' "$PLUGSTACK.good" >"$PLUGSTACK"
like "$(cat "$PLUGSTACK")" "^required $inst/lib/slurm/spank_spark.so spark_home=" \
	"plugstack.conf names the installed plugin, and neither helper nor jar"
out=$(lab login srun -N2 --spark-mode=cluster placement.py 2>&1)
is "$?" 0 "a cluster-mode step runs through the installed plugin" || diag "$out"
is "$(field driver "$out")/$(field executors "$out")" node1/node2 "...driver on node1, executor on node2"
restore_plugstack
no_leftovers "no JVM, helper or scratch left"
rm -rf "$src" "$inst" "$log"

done_testing
