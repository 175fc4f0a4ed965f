#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# With the site's class cache the helper starts the driver JVM itself,
# without Spark's launcher JVM (helper/driver_cmd.h): its command line up to
# org.apache.spark.deploy.SparkSubmit is the one Spark's own launcher builds
# from the same arguments and environment (asked here, as spark-class asks
# it), with the user's driver options, memory and quoting; with
# class_cache=none spark-submit starts it as before.
set -uo pipefail
# shellcheck source=tests/lab/tap.sh disable=SC1091
. "$(dirname "$0")/../tap.sh"
# shellcheck source=tests/lab/lib.sh disable=SC1091
. "$(dirname "$0")/../lib.sh"
install_apps

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# held.py: the first job's result, then the driver waits (its JVM stays).
lab login srun -J drvcmd -N2 --mem=2G --spark-mode=cluster --spark-verbose \
	--spark-driver-memory=700m \
	"--spark-conf=spark.driver.extraJavaOptions=-Dss.a='x y' -Dss.b=\"q\\\"r\"" \
	--spark-conf=spark.driver.defaultJavaOptions=-Dss.d=1 held.py >"$log" 2>&1 &
step=$!
deadline=$((SECONDS + 180))
until grep -q '^result=4950' "$log" || [ "$SECONDS" -ge "$deadline" ]; do sleep 0.5; done
like "$(cat "$log")" "result=4950" "a step whose driver the helper starts: its result" ||
	diag "$(tail -n 20 "$log")"
like "$(cat "$log")" "the driver JVM without Spark's launcher" \
	"--spark-verbose says the driver JVM started without Spark's launcher"

drv=$(pgrep -u "$LAB_USER" -f 'org\.apache\.spark\.deploy\.SparkSubmit' | head -n 1)
[ -n "$drv" ]
ok $? "the driver JVM runs"
argv=() envv=()
[ -n "$drv" ] && mapfile -d '' argv <"/proc/$drv/cmdline" && mapfile -d '' envv <"/proc/$drv/environ"
k=-1
for i in "${!argv[@]}"; do
	[ "${argv[$i]}" = org.apache.spark.deploy.SparkSubmit ] && k=$i && break
done
isnt "$k" -1 "its command line names org.apache.spark.deploy.SparkSubmit"
ours=("${argv[@]:0:k+1}")
spark_home=$(printf '%s\n' "${envv[@]}" | sed -n 's/^SPARK_HOME=//p')
# Spark's launcher, as spark-class runs it: NUL, newline, then the command's
# words, each followed by NUL.
theirs=()
if [ "$k" -ge 0 ] && [ -n "$spark_home" ]; then
	mapfile -d '' theirs < <(env -i "${envv[@]}" "${argv[0]}" -Xmx128m -cp "$spark_home/jars/*" \
		org.apache.spark.launcher.Main org.apache.spark.deploy.SparkSubmit "${argv[@]:k+1}")
	theirs=("${theirs[@]:1}")
	theirs[0]=${theirs[0]#$'\n'}
	for i in "${!theirs[@]}"; do
		[ "${theirs[$i]}" = org.apache.spark.deploy.SparkSubmit ] &&
			theirs=("${theirs[@]:0:i+1}") && break
	done
fi
is "$(printf '%s\n' "${ours[@]}")" "$(printf '%s\n' "${theirs[@]}")" \
	"the driver JVM's command line is the one Spark's launcher builds"
like "$(printf '%s\n' "${ours[@]}")" $'-Xmx700m\n-Dss.d=1\n-Dss.a=x y\n-Dss.b=q"r' \
	"...with --spark-driver-memory and the user's Java options, unquoted, in order"
envs=$(printf '%s\n' "${envv[@]}")
like "$envs" $'PYTHONHASHSEED=0' "...and what spark-submit's scripts export (PYTHONHASHSEED)"
lab login scancel -n drvcmd
wait "$step" 2>/dev/null
no_leftovers "nothing left after the step"

# class_cache=none: spark-submit (Spark's launcher) starts the driver.
add_to_plugstack class_cache=none
out=$(lab login srun -N2 --spark-mode=cluster --spark-verbose first.py 2>&1)
is "$?" 0 "class_cache=none: the step runs" || diag "$out"
like "$out" "result=4950" "...with its result"
like "$out" "class_cache=none" "...without the class cache"
! grep -q "without Spark's launcher" <<<"$out"
ok $? "...and its driver started by Spark's launcher"
restore_plugstack
no_leftovers "nothing left"

done_testing
