#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --spark-connect: a client-mode step started from login serves Spark
# Connect on login's loopback with a per-step token; the same user's
# pyspark client runs a query whose tasks run on the nodes; another user,
# without the token or with a wrong one, is refused; scancel leaves
# nothing.  Spark 3.5 is refused in one line.
set -uo pipefail
# shellcheck source=tests/lab/tap.sh disable=SC1091
. "$(dirname "$0")/../tap.sh"
# shellcheck source=tests/lab/lib.sh disable=SC1091
. "$(dirname "$0")/../lib.sh"
install_apps

logs=$LAB_DIR/logs
py=$SPARK_VENV/bin/python3
evil() { lab --user "$LAB_INTRUDER" "$@"; }

"$py" -c 'import grpc, pyarrow, pandas' 2>/dev/null ||
	bail_out "the Connect client's modules are missing from $SPARK_VENV: make deps-check"

# 0. Validated where the others are: srun, sbatch and salloc refuse
#    --spark-connect with --spark-class (whose place the server takes) and
#    a bad SPANK_SPARK_CONNECT at once, with no job id used.
for cmd in srun sbatch salloc; do
	run=(true)
	[ "$cmd" = sbatch ] && run=(--wrap true)
	before=$(next_job_id)
	out=$(lab login "$cmd" -N1 --spark-connect --spark-class=org.example.Main "${run[@]}" 2>&1 </dev/null)
	isnt "$?" 0 "$cmd --spark-connect --spark-class: refused"
	like "$out" "--spark-connect runs Spark's Connect server as the driver: drop --spark-class" \
		"...in one line saying what to do"
	out=$(lab -e SPANK_SPARK_CONNECT=maybe login "$cmd" -N1 "${run[@]}" 2>&1 </dev/null)
	isnt "$?" 0 "$cmd with SPANK_SPARK_CONNECT=maybe: refused"
	like "$out" "invalid SPANK_SPARK_CONNECT value 'maybe': expected yes or no" "...naming the variable"
	is "$(next_job_id)" "$before" "...and no job id used"
done

# 1. The server, until scancel.
log=$(mktemp)
chmod 0644 "$log"
job=$(next_job_id)
lab login srun -N2 --spark-mode=client --spark-connect sleep infinity >"$log" 2>&1 &
srun_pid=$!
url_file=$logs/$LAB_USER/$job/connect-url.0
deadline=$((SECONDS + 180))
until [ -s "$url_file" ] || [ "$SECONDS" -ge "$deadline" ] || ! kill -0 "$srun_pid" 2>/dev/null; do
	sleep 0.5
done
ok "$([ -s "$url_file" ] && echo 0 || echo 1)" "the step writes its Connect URL to $url_file" ||
	diag "$(cat "$log")"
is "$(stat -c %a "$url_file" 2>/dev/null)" 600 "...a 0600 file"
url=$(cat "$url_file" 2>/dev/null)
like "$url" '^sc://localhost:2[0-9]{4}/;token=[0-9a-f]{64}$' \
	"...sc://localhost:PORT/;token=TOKEN, the port from the site's range"
like "$(cat "$log")" "spank-spark: Spark Connect sc://localhost:[0-9]+/ \\(the URL with its token is in $url_file\\)" \
	"srun's output (not a terminal) says where the URL is"
! grep -q 'token=' "$log"
ok $? "...without the token (an output file may be readable by others)"
port=${url#sc://localhost:}
port=${port%%/*}
# A JVM's socket on 127.0.0.1 shows as [::ffff:127.0.0.1].
listen=$(lab --root login ss -Htln "sport = :${port:-0}")
like "$listen" "127\\.0\\.0\\.1\\]?:$port " "the server listens on login's loopback"
is "$(grep -Ev "127\\.0\\.0\\.1\\]?:$port " <<<"$listen")" "" "...and on no other address"

# 2. The owner, from login: a DataFrame query whose tasks ran on the nodes.
out=$(lab login "$py" connect_client.py "$url_file" 2>&1)
is "$?" 0 "the owner's client runs a query" || diag "$out"
is "$(field count "$out")" 1000 "SparkSession.builder.remote(url).getOrCreate().range(1000).count() is 1000"
is "$(field hosts "$out")" node1,node2 "...and its tasks ran on the allocated nodes"

# 3. Another user of login (running the client from the source tree, as
#    labuser's home is not theirs): cannot read the URL, and is refused without
#    the token or with a wrong one.
! evil login cat "$url_file" >/dev/null 2>&1
ok $? "the intruder cannot read the URL file"
out=$(evil -e SPARK_REMOTE="sc://localhost:$port" login "$py" "$LAB_SRC/tests/apps/connect_client.py" 2>&1)
isnt "$?" 0 "the intruder without a token is refused"
like "$(field error "$out")" "UNAUTHENTICATED|authentication token" "...by the server's authentication" ||
	diag "$out"
wrong=$(printf '0%.0s' {1..64})
out=$(evil -e SPARK_REMOTE="sc://localhost:$port/;token=$wrong" login "$py" "$LAB_SRC/tests/apps/connect_client.py" 2>&1)
isnt "$?" 0 "the intruder with a wrong token is refused"
like "$(field error "$out")" "UNAUTHENTICATED|authentication token" "...by the server's authentication" ||
	diag "$out"
is "$(lab login squeue -h -j "$job" -o %T)" RUNNING "the step still serves after the attempts"

# 4. scancel ends it all, on every host.
lab login scancel "$job"
wait "$srun_pid"
no_leftovers "scancel: no JVM, helper or scratch of the step left on any host" 30
rm -f "$log"

# 5. The step's command runs beside the server with SPARK_REMOTE, and the
#    step ends with it: client mode, then cluster mode (the server on
#    node1's loopback, the command beside it there).
out=$(lab login srun -N1 -w node1 --spark-mode=client --spark-connect "$py" connect_client.py 2>&1)
is "$?" 0 "client mode: the step's command connects through SPARK_REMOTE and the step ends with it" ||
	diag "$out"
is "$(field count "$out")/$(field hosts "$out")" 1000/node1 "...its query ran on node1"
no_leftovers "no JVM, helper or scratch left after it"
out=$(lab login srun -N2 -w node1,node2 --spark-mode=cluster --spark-connect "$py" connect_client.py 2>&1)
is "$?" 0 "cluster mode: the same, beside the server on the first node" || diag "$out"
is "$(field count "$out")/$(field hosts "$out")" 1000/node2 "...its query ran on node2"
like "$out" "ssh -N -o ExitOnForwardFailure=yes -L 127\\.0\\.0\\.1:[0-9]+:127\\.0\\.0\\.1:[0-9]+ -L '\\[::1\\]:[0-9]+:127\\.0\\.0\\.1:[0-9]+' node1" \
	"...and the step says how to reach node1's loopback from both of the user's own"
no_leftovers "no JVM, helper or scratch left after it"

# 6. Spark 3.5 has no Connect server: one line, before any JVM.
spark35=$(/opt/spank-spark/venv-3.5/bin/python3 -c \
	'import os, pyspark; print(os.path.dirname(pyspark.__file__))' 2>/dev/null)
if [ -n "$spark35" ]; then
	_keep_plugstack && sed -E "1s#spark_home=[^ ]*#spark_home=$spark35#" \
		"$PLUGSTACK.good" >"$PLUGSTACK"
	out=$(lab login srun -N1 --spark-mode=client --spark-connect sleep infinity 2>&1)
	isnt "$?" 0 "--spark-connect with Spark 3.5 fails"
	like "$out" "--spark-connect needs Spark 4" "...saying it needs Spark 4" || diag "$out"
	restore_plugstack
	no_leftovers "no JVM, helper or scratch left after the refusal"
fi

done_testing
