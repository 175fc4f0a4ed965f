#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --spark-verbose prints the start-up timeline (helper/timeline.h): each
# milestone once, with its seconds since srun started, in causal order.
set -uo pipefail
# shellcheck source=tests/lab/tap.sh disable=SC1091
. "$(dirname "$0")/../tap.sh"
# shellcheck source=tests/lab/lib.sh disable=SC1091
. "$(dirname "$0")/../lib.sh"
install_apps

out=$(lab login srun -N3 --spark-mode=cluster --spark-verbose first.py 2>&1)
is "$?" 0 "srun -N3 --spark-mode=cluster --spark-verbose first.py succeeds"
like "$out" "result=4950" "...with its result"
# "WHAT<TAB>seconds" for each timeline line.
tl=$(sed -n 's/^spank-spark: timeline +\([0-9]*\.[0-9][0-9]\)s \(.*\)$/\2\t\1/p' <<<"$out")
at() { awk -F '\t' -v w="$1" '$1 ~ w {print $2; exit}' <<<"$tl"; }
for m in "helper up on node1" "helper up on node2" "helper up on node3" \
	"rendezvous complete: 2 node" "driver JVM started" "executor JVMs started on node2" \
	"SparkContext up" "executor [0-9]+ registered \\(" "all 2 executor\\(s\\) registered" \
	"first task launched" "first task finished"; do
	[ -n "$(at "^$m")" ]
	ok $? "the timeline has: $m" || diag "$out"
done
before() { awk -v a="$(at "$1")" -v b="$(at "$2")" 'BEGIN {exit !(a != "" && b != "" && a + 0 <= b + 0)}'; }
before "helper up on node1" "driver JVM started"
ok $? "the driver's helper is up before its JVM starts"
before "helper up on node2" "rendezvous complete"
ok $? "node2's helper is up before the rendezvous completes"
before "SparkContext up" "first task launched"
ok $? "SparkContext is up before the first task"
before "first task launched" "first task finished"
ok $? "the first task is launched before it finishes"
is "$(grep -c 'timeline +[0-9.]*s first task finished' <<<"$out")" 1 "each milestone once"
out=$(lab login srun -N2 --spark-mode=cluster first.py 2>&1)
is "$(grep -c 'timeline' <<<"$out")" 0 "without --spark-verbose, no timeline on srun's stderr"
no_leftovers "nothing left after the timeline steps"

done_testing
