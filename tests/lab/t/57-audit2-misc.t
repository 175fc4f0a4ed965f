#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The second audit's smaller items (issue 16, items 6 and 8): the UI's
# cookie replayed from another port of the driver's node, and the owner's
# own bad input refused by srun (nothing queued) or at once by the step.
set -uo pipefail
# shellcheck source=tests/lab/tap.sh disable=SC1091
. "$(dirname "$0")/../tap.sh"
# shellcheck source=tests/lab/lib.sh disable=SC1091
. "$(dirname "$0")/../lib.sh"
install_apps

evil() { lab --user "$LAB_INTRUDER" "$@"; }
logs=$LAB_DIR/logs

# --- Item 8: bad input refused in srun/sbatch, no job id used ---
# Each: CMD, what must be in the one line, then the options; a FIFO would
# have blocked the old driver side for good, hence the guard.
refused_early() {
	local cmd=$1 want=$2 before out rc
	shift 2
	local -a run=(true)
	[ "$cmd" = sbatch ] && run=(--wrap true)
	before=$(next_job_id)
	out=$(timeout 60 "$LAB_SRC/tests/lab/lab-exec" login "$cmd" -N1 "$@" "${run[@]}" 2>&1 </dev/null)
	rc=$?
	isnt "$rc" 0 "$cmd $*: refused"
	like "$out" "spank-spark: $want" "...in a line saying why" || diag "$out"
	is "$(grep -c 'spank-spark:' <<<"$out")" 1 "...one line"
	is "$(next_job_id)" "$before" "...before anything is queued"
}
refused_early srun "invalid --spark-log-dir value '%': expected a directory" --spark-log-dir=%
refused_early sbatch "invalid --spark-log-dir value 'logs/%x': expected" --spark-log-dir=logs/%x

lab login rm -f props.fifo
lab login mkfifo props.fifo
lab login truncate -s 2M props.big
refused_early srun "--spark-properties-file props.fifo is a FIFO" --spark-mode=client \
	--spark-properties-file=props.fifo
refused_early sbatch "--spark-properties-file props.fifo is a FIFO" --spark-mode=cluster \
	--spark-properties-file=props.fifo
refused_early srun "--spark-properties-file /dev/zero is a device" --spark-mode=cluster \
	--spark-properties-file=/dev/zero
refused_early srun "--spark-properties-file $LAB_HOME is a directory" --spark-mode=cluster \
	--spark-properties-file="$LAB_HOME"
refused_early srun "--spark-properties-file props.big holds 2097152 bytes, more than 1048576" \
	--spark-mode=cluster --spark-properties-file=props.big
lab login rm -f props.fifo props.big

# Three executors of the default heap do not fit in 1 GiB per node.
out=$(lab login srun -N1 --mem=1G --spark-mode=cluster --spark-executors-per-node=3 placement.py 2>&1)
isnt "$?" 0 "--mem=1G --spark-executors-per-node=3 without an executor size: refused"
like "$out" "3 executors per node do not fit in the step's 1024 MiB" "...saying why" || diag "$out"
like "$out" "--mem" "...and naming --mem"
no_leftovers "no JVM, helper or scratch left after the refused sizes"

# --- Item 6: the UI cookie, as a browser would send it to another port ---
log=$(mktemp)
chmod 0644 "$log"
lab login srun -N2 --spark-mode=cluster sleeper.py >"$log" 2>&1 &
job_pid=$!
deadline=$((SECONDS + 120))
until grep -q '^started' "$log" || [ "$SECONDS" -ge "$deadline" ]; do sleep 0.2; done
jobid=$(lab login squeue -h -u "$LAB_USER" -o %i | head -n1)
url=$(cat "$logs/$LAB_USER/$jobid"/ui-url.* 2>/dev/null | head -n1)
base=${url%%/\?*}
like "$url" '^http://10\.199\.77\.101:[0-9]+/\?spank-spark-token=' "the owner's UI URL, on node1" || diag "$(tail -n 20 "$log")"

# The owner opens it: redirects followed, a cookie jar as a browser keeps.
jar=$(mktemp -u /tmp/spank-spark-57.XXXXXX)
code=$(printf 'url = "%s"\nlocation\ncookie = "%s"\ncookie-jar = "%s"\n' "$url" "$jar" "$jar" |
	lab login curl -s -o /dev/null -w '%{http_code}' -K -)
is "$code" 200 "the owner's URL opens the UI in one step"
# Netscape format (an HttpOnly cookie's line starts with #HttpOnly_):
# domain, subdomains, path, secure, expiry, name, value.
cookie_line=$(grep -P '\tspank-spark-[0-9a-f]{12}\t' "$jar" 2>/dev/null | head -n1)
prefix=$(cut -f3 <<<"$cookie_line")
name=$(cut -f6 <<<"$cookie_line")
value=$(cut -f7 <<<"$cookie_line")
token=${url##*=}
like "$prefix" '^/spank-spark-[0-9a-f]{32}$' "...its cookie is for a secret path only"
ok "$([ -n "$value" ] && [ "$value" != "$token" ] && echo 0 || echo 1)" "...and is not the token"

# The intruder serves a page on another port of node1; the owner's browser
# (curl with the owner's jar: cookies are sent by host and path, whatever
# the port) visits it.
trap_dir=$(mktemp -d)
chmod 0777 "$trap_dir"
port=$((20000 + RANDOM % 10000))
evil node1 python3 - "$port" "$trap_dir/request" <<'PY' &
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", int(sys.argv[1])))
s.listen(1)
open(sys.argv[2] + ".ready", "w").close()
s.settimeout(60)
c, _ = s.accept()
c.settimeout(10)
data = b""
while b"\r\n\r\n" not in data:
    d = c.recv(65536)
    if not d:
        break
    data += d
open(sys.argv[2], "wb").write(data)
c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
c.close()
PY
trap_pid=$!
deadline=$((SECONDS + 30))
until [ -e "$trap_dir/request.ready" ] || [ "$SECONDS" -ge "$deadline" ]; do sleep 0.1; done
printf 'url = "http://10.199.77.101:%s/"\ncookie = "%s"\n' "$port" "$jar" |
	lab login curl -s -o /dev/null -K -
wait "$trap_pid"
like "$(head -n1 "$trap_dir/request" 2>/dev/null)" '^GET / HTTP' "the intruder's page got the owner's visit"
got_cookie=$(grep -i '^cookie:' "$trap_dir/request" | tr -d '\r')
ok "$(grep -q 'spank-spark-' <<<"$got_cookie" && echo 1 || echo 0)" \
	"...without the UI's cookie (got '${got_cookie:-no Cookie header}')"
# It replays what it got, then the cookie itself (as if leaked), at the UI.
replay() { # cookie header, path
	printf 'url = "%s%s"\nheader = "Cookie: %s"\n' "$base" "$2" "$1" |
		evil login curl -s -o /dev/null -w '%{http_code}' -K -
}
is "$(replay "${got_cookie#*: }" /jobs/)" 403 "what the intruder's port received opens nothing"
is "$(replay "$name=$value" /jobs/)" 403 "the cookie itself, replayed at the UI without the prefix: 403"
is "$(replay "$name=$value" "/jobs/job/kill/?id=0")" 403 "...and at the kill link: 403"
is "$(replay "$name=$token" /jobs/)" 403 "the token as the cookie (the old scheme): 403"
# The owner's own cookie still works, with the prefix.
code=$(printf 'url = "%s%s/jobs/"\ncookie = "%s"\n' "$base" "$prefix" "$jar" |
	lab login curl -s -o /dev/null -w '%{http_code}' -K -)
is "$code" 200 "the owner's cookie still opens the UI"
is "$(lab login squeue -h -j "$jobid" -o %T)" RUNNING "the job still runs after the intruder's attempts"
lab login rm -f "$jar"
rm -rf "$trap_dir"
lab login scancel "$jobid"
wait "$job_pid"
rm -f "$log"
no_leftovers "scancel: nothing of the owner's left" 20
# Its nodes free again (epilog done) before the next test places a step.
like "$(job_state "$jobid" 60)" '^(CANCELLED|COMPLETED|FAILED)' "the cancelled job has ended on every node"

done_testing
