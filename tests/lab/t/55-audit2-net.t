#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Issue 16 (second audit), the network, attacked by the intruder:
#  1. no port of a step comes from its job and step ids: the rendezvous
#     refuses to start without srun's random seed, the code holds no such
#     formula, and a running step's ports are not those of the old one;
#  2. 8 connections held open at the rendezvous cap from an executor's
#     address do not keep that executor out;
#  3. every port of the site's range held (0.0.0.0 and ::) on the driver's
#     node: the step still starts, outside the range, and says so;
#  4. [::1]:p listened on for every p of the range on the Connect server's
#     host: the owner's client still gets its result and the listeners
#     receive no byte of the token; [::1] and :: of the server's port stay
#     unbindable for the intruder while the step runs; the same in cluster
#     mode, on node1.
set -uo pipefail
# shellcheck source=tests/lab/tap.sh disable=SC1091
. "$(dirname "$0")/../tap.sh"
# shellcheck source=tests/lab/lib.sh disable=SC1091
. "$(dirname "$0")/../lib.sh"
install_apps

evil() { lab --user "$LAB_INTRUDER" "$@"; }
py=$SPARK_VENV/bin/python3
logs=$LAB_DIR/logs
tool=$LAB_DIR/lib/rdvtool
install -m 0755 "$LAB_SRC/tests/tools/rdvtool" "$tool"
sock=$LAB_DIR/munge/munge.socket.2
lo=20000 hi=20999 # the lab's ports= (tests/lab/plugstack.conf.in)
work=$(mktemp -d)
chmod 0755 "$work"
bg=()
# The intruder's long-lived scripts print their pid first: $! is only the
# shell that runs lab-exec.
stop_intruder() {
	local pid deadline=$((SECONDS + 10))
	pid=$(sed -n 's/^pid //p' "$1" | head -n 1)
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null
	while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
}
cleanup() {
	for f in "$work"/intruder-*; do [ -e "$f" ] && stop_intruder "$f"; done
	for p in "${bg[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$work"
}
# shellcheck disable=SC2154 # _rc is set inside the trap
trap '_rc=$?; cleanup; restore_plugstack; (exit $_rc); _tap_end' EXIT

# A file the intruder's script writes to (root reads it).
intruder_file() {
	install -o "$LAB_INTRUDER" -m 0644 /dev/null "$work/intruder-$1"
	echo "$work/intruder-$1"
}
# Wait (bounded) until file $1 has a line matching $2.
wait_for() {
	local deadline=$((SECONDS + ${3:-60}))
	until grep -q "$2" "$1" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; do sleep 0.2; done
	grep -q "$2" "$1" 2>/dev/null
}
# The ports listened on by uid $2 on host $1.
listening() {
	lab --root "$1" ss -Htlne 2>/dev/null | awk -v u="uid:$2" '$0 ~ u " " || $0 ~ u "$" {n = split($4, a, ":"); print a[n]}' |
		sort -un
}
# The formulas of the old code: the driver's ports (driver, block
# manager, UI, Connect) and the executors' block manager ports.
old_driver_ports() {
	for k in 0 1 2 3; do echo $((lo + ((($1 * 7919 + $2 * 31 + k * 101) & 0xffffffff) % (hi - lo + 1)))); done
}
old_executor_ports() {
	for e in 0 1 2 3 4 5 6 7 8; do echo $((lo + ((($1 * 7919 + e * 131) & 0xffffffff) % (hi - lo + 1)))); done
}
# How many lines of $1 are also in $2.
common() { comm -12 <(sort -u <<<"$1") <(sort -u <<<"$2") | grep -c .; }

# 1. No port from job and step ids, in the code or without srun's seed.
! grep -rnE '7919|2654435761|\* *131U' "$LAB_SRC/helper" "$LAB_SRC/common" "$LAB_SRC/plugin"
ok $? "the code derives no port from job and step ids (no 7919, no job*2654435761, no id*131)"
out=$(lab node1 "$tool" server --job=900201 --step=0 --count=1 ports=30000-30099 \
	"munge_socket=$sock" startup_timeout=5 2>&1)
isnt "$?" 0 "without srun's seed the rendezvous does not start"
like "$out" "no valid rendezvous seed \\(SLURM_SPANK_SPARK_RENDEZVOUS, drawn by srun\\)" \
	"...in one line saying what to do"
! grep -q 'listening on port' <<<"$out"
ok $? "...and listens on no port derived from the job and step" || diag "$out"

# 2. The cap: the intruder, on node2, holds 8 connections to the
#    rendezvous port open (reopening each one the server closes) while an
#    executor of node2 registers.
seed=$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')
site=(ports=30000-30099 "munge_socket=$sock" startup_timeout=40)
srv=$work/rdv-server
lab node1 env SLURM_SPANK_SPARK_RENDEZVOUS="$seed" "$tool" server --job=900202 --step=0 --count=1 \
	"${site[@]}" >"$srv" 2>&1 &
bg+=($!)
wait_for "$srv" '^listening on port' 10
rport=$(sed -n 's/^listening on port //p' "$srv")
held=$(intruder_file held)
# shellcheck disable=SC2016 # python
evil node2 /usr/bin/python3 -c '
import os, selectors, socket, sys
print("pid", os.getpid(), flush=True)
addr, port = sys.argv[1], int(sys.argv[2])
sel, n = selectors.DefaultSelector(), 0
def more():
    global n
    try:
        sel.register(socket.create_connection((addr, port), timeout=5), selectors.EVENT_READ)
        n += 1
    except OSError:
        pass
for _ in range(8):
    more()
print("holding", len(sel.get_map()), flush=True)
while True:
    for key, _ in sel.select():
        try:
            data = key.fileobj.recv(65536)
        except OSError:
            data = b""
        if not data:
            sel.unregister(key.fileobj)
            key.fileobj.close()
            more()
' "$(lab_addr node1)" "$rport" >"$held" 2>&1 &
bg+=($!)
wait_for "$held" '^holding 8' 10
ok $? "the intruder holds 8 connections to the rendezvous port from node2" || diag "$(cat "$held")"
n=$(lab --root node1 ss -Htn state established "( sport = :$rport )" 2>/dev/null | grep -c "$(lab_addr node2):")
ok "$([ "$n" -ge 8 ] && echo 0 || echo 1)" "...visible on node1 ($n connections)"
out=$(lab node2 env SLURM_SPANK_SPARK_RENDEZVOUS="$seed" "$tool" client --job=900202 --step=0 --count=1 \
	--target="$(lab_addr node1)" "${site[@]}" 2>&1)
like "$out" "welcomed 1/1" "an executor on node2 still registers" || diag "$out"
wait "${bg[0]}" 2>/dev/null
like "$(cat "$srv")" "refused a registration from $(lab_addr node2): dropped, the oldest of too many connections waiting" \
	"...the oldest waiting connection of node2 was dropped for it" || diag "$(cat "$srv")"
stop_intruder "$held"
bg=()

# 3. The site's range held on the driver's node: 0.0.0.0 and :: listeners
#    on every port; a cluster-mode step with its driver there still runs.
hog=$(intruder_file hog)
# shellcheck disable=SC2016 # python
evil node1 /usr/bin/python3 -c '
import os, resource, socket, sys, time
print("pid", os.getpid(), flush=True)
lo, hi = int(sys.argv[1]), int(sys.argv[2])
h = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
resource.setrlimit(resource.RLIMIT_NOFILE, (h, h))
held = []
for p in range(lo, hi + 1):
    for fam, addr in ((socket.AF_INET, "0.0.0.0"), (socket.AF_INET6, "::")):
        s = socket.socket(fam)
        # As any squatter would: our own TIME_WAIT sockets do not stop it.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if fam == socket.AF_INET6:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        try:
            s.bind((addr, p)); s.listen(64); held.append(s)
        except OSError:
            s.close()
print("holding", len(held), flush=True)
while True:
    time.sleep(3600)
' "$lo" "$hi" >"$hog" 2>&1 &
bg+=($!)
wait_for "$hog" '^holding' 60
is "$(sed -n 's/^holding //p' "$hog")" $((2 * (hi - lo + 1))) \
	"the intruder listens on every port of $lo-$hi of node1, on 0.0.0.0 and ::" || diag "$(cat "$hog")"
out=$(lab login srun -N2 -w node1,node2 --spark-mode=cluster --spark-verbose first.py 2>&1)
is "$?" 0 "a cluster-mode step with its driver on node1 still runs" || diag "$out"
is "$(field result "$out")" 4950 "...and gives the right result"
like "$out" "spank-spark: the site's range $lo-$hi is full on node1 \\(another user holds it\\): rendezvous on [0-9]+, Spark's ports [0-9,]+, outside the range" \
	"...saying in one --spark-verbose line that it went outside the range"
stop_intruder "$hog"
bg=()
no_leftovers "no JVM, helper or scratch left after it"

# The intruder's ears: listen on [::1]:p for every p of $lo-$hi, speak
# HTTP/2 as a gRPC server would (its SETTINGS at once, an ACK of the
# client's: the client then sends its request headers, the token's
# among them), log every connection and every byte received.
# shellcheck disable=SC2016 # python
ears_py='
import os, resource, selectors, socket, sys
print("pid", os.getpid(), flush=True)
lo, hi = int(sys.argv[1]), int(sys.argv[2])
h = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
resource.setrlimit(resource.RLIMIT_NOFILE, (h, h))
sel, n = selectors.DefaultSelector(), 0
for p in range(lo, hi + 1):
    s = socket.socket(socket.AF_INET6)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    try:
        s.bind(("::1", p)); s.listen(64); s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, "listener"); n += 1
    except OSError:
        s.close()
print("holding", n, flush=True)
while True:
    for key, _ in sel.select():
        if key.data == "listener":
            try:
                c, _ = key.fileobj.accept()
            except OSError:
                continue
            print("connection on", key.fileobj.getsockname()[1], flush=True)
            try:
                c.sendall(b"\0\0\0\4\0\0\0\0\0")
            except OSError:
                pass
            sel.register(c, selectors.EVENT_READ, "peer")
            continue
        try:
            data = key.fileobj.recv(65536)
        except OSError:
            data = b""
        if not data:
            sel.unregister(key.fileobj); key.fileobj.close(); continue
        print("received", repr(data), flush=True)
        if key.data == "peer":
            try:
                key.fileobj.sendall(b"\0\0\0\4\1\0\0\0\0")
            except OSError:
                pass
            sel.modify(key.fileobj, selectors.EVENT_READ, "acked")
'

# 4. The intruder listens on [::1]:p for every p of the range on login
#    (and logs every byte it receives); the owner runs a client-mode Connect
#    step there and a query.
ears=$(intruder_file ears)
evil login /usr/bin/python3 -c "$ears_py" "$lo" "$hi" >"$ears" 2>&1 &
bg+=($!)
wait_for "$ears" '^holding' 60
is "$(sed -n 's/^holding //p' "$ears")" $((hi - lo + 1)) "the intruder listens on [::1]:p for every p of $lo-$hi on login" ||
	diag "$(cat "$ears")"
log=$work/connect
job=$(next_job_id)
lab login srun -N2 --spark-mode=client --spark-connect sleep infinity >"$log" 2>&1 &
bg+=($!)
url_file=$logs/$LAB_USER/$job/connect-url.0
deadline=$((SECONDS + 180))
until [ -s "$url_file" ] || [ "$SECONDS" -ge "$deadline" ] || ! kill -0 "${bg[1]}" 2>/dev/null; do
	sleep 0.5
done
ok "$([ -s "$url_file" ] && echo 0 || echo 1)" "the owner's Connect step serves" || diag "$(cat "$log")"
url=$(cat "$url_file" 2>/dev/null)
token=${url##*token=}
port=${url#sc://localhost:}
port=${port%%/*}
# (Bounded: a client that reached the intruder waits for an answer.)
out=$(lab login timeout 120 "$py" connect_client.py "$url_file" 2>&1)
is "$?" 0 "the owner's client runs a query" || diag "$out"
is "$(field count "$out")" 1000 "...and gets the right result"
heard=$(cat "$ears")
note "the intruder's [::1] listeners received: $(grep -c '^connection' <<<"$heard") connection(s), $(grep -c '^received' <<<"$heard") read(s)"
is "$(grep -c '^connection' <<<"$heard")" 0 "...and no connection reached the intruder's listeners"
! grep -q "${token:-no token}" <<<"$heard"
ok $? "...and no byte of the token reached the intruder's listeners" ||
	diag "$(grep -v "${token:-no token}" <<<"$heard" | head -n 5)"
! grep -qi 'authorization\|bearer' <<<"$heard"
ok $? "...nor any authorization header"
# The server's port: nobody else can listen on [::1] or :: there (the
# intruder's own listeners closed first).
stop_intruder "$ears"
# shellcheck disable=SC2016 # python
squat=$(evil login /usr/bin/python3 -c '
import socket, sys
for addr in ("::1", "::"):
    s = socket.socket(socket.AF_INET6)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    try:
        s.bind((addr, int(sys.argv[1]))); s.listen(1); print(addr, "bound")
    except OSError as e:
        print(addr, "refused:", e.strerror)
' "${port:-0}" 2>&1)
like "$squat" "^::1 refused: Address already in use" \
	"the intruder cannot listen on [::1] at the Connect port ($port) while the step runs" || diag "$squat"
like "$squat" ":: refused: Address already in use" "...nor on [::] there" || diag "$squat"
# What the client's first, refused [::1] attempt costs (not a check).
# shellcheck disable=SC2016 # python
note "a connect to [::1]:$port: $(lab login /usr/bin/python3 -c '
import socket, sys, time
t = time.monotonic()
try:
    socket.create_connection(("::1", int(sys.argv[1])), timeout=5).close(); r = "CONNECTED"
except OSError as e:
    r = e.strerror
print(r, "in %.2f ms" % (1000 * (time.monotonic() - t)))' "${port:-0}" 2>&1)"

# 5. None of this step's ports is what the old job/step formulas give:
#    driver, block manager, UI and Connect on login, block managers on
#    the nodes; and its scratch directories have random names.
uid=$(id -u "$LAB_USER")
dports=$(listening login "$uid")
e1=$(listening node1 "$uid") e2=$(listening node2 "$uid")
eports=$(printf '%s\n%s\n' "$e1" "$e2" | grep . | sort -un)
note "ports of the driver side: $(tr '\n' ' ' <<<"$dports")" \
	"ports of node1's executor: $(tr '\n' ' ' <<<"$e1"); node2's: $(tr '\n' ' ' <<<"$e2")"
ok "$([ "$(grep -c . <<<"$dports")" -ge 5 ] && echo 0 || echo 1)" \
	"the driver side listens on 5 ports or more (rendezvous, driver, block manager, UI, Connect)"
isnt "$(common "$dports" "$(old_driver_ports "$job" 0)")" 4 \
	"...not the 4 that job*7919+step*31+k*101 gives"
n=$(grep -c . <<<"$eports")
ok "$([ "$n" -ge 2 ] && echo 0 || echo 1)" "the executors listen ($n ports)"
isnt "$(common "$eports" "$(old_executor_ports "$job")")" "$n" \
	"...not on the ports job*7919+id*131 gives"
names=$(find "$SCRATCH" -mindepth 1 -maxdepth 1 -name "spank-spark.$job.*" -printf '%f\n')
ok "$([ -n "$names" ] && ! grep -qvE "^spank-spark\\.$job\\.0\\.(login|node[0-9])\\.[A-Za-z0-9]{6,}$" <<<"$names" && echo 0 || echo 1)" \
	"the step's scratch directories end in a random part" || diag "$names"

lab login scancel "$job"
wait "${bg[1]}" 2>/dev/null
bg=()
no_leftovers "scancel: no JVM, helper or scratch of the step left" 30

# 4b. The same in cluster mode: the intruder's ears on node1, where the
#     server runs; the step's command is the client, beside it.
ears=$(intruder_file ears1)
evil node1 /usr/bin/python3 -c "$ears_py" "$lo" "$hi" >"$ears" 2>&1 &
bg+=($!)
wait_for "$ears" '^holding' 60
is "$(sed -n 's/^holding //p' "$ears")" $((hi - lo + 1)) "the intruder listens on [::1]:p for every p of $lo-$hi on node1" ||
	diag "$(cat "$ears")"
job=$(next_job_id)
out=$(lab login srun -N2 --spark-mode=cluster --spark-connect timeout 120 "$py" connect_client.py 2>&1)
is "$?" 0 "cluster mode: the step's command, the owner's client beside the server, runs its query" || diag "$out"
is "$(field count "$out")" 1000 "...and gets the right result"
url=$(cat "$logs/$LAB_USER/$job/connect-url.0" 2>/dev/null)
token=${url##*token=}
heard=$(cat "$ears")
note "the intruder's [::1] listeners on node1 received: $(grep -c '^connection' <<<"$heard") connection(s), $(grep -c '^received' <<<"$heard") read(s)"
is "$(grep -c '^connection' <<<"$heard")" 0 "...and no connection reached the intruder's listeners"
ok "$([ ${#token} -eq 64 ] && ! grep -q "$token" <<<"$heard" && echo 0 || echo 1)" \
	"...and no byte of its token reached the intruder's listeners" ||
	diag "$(head -n 5 <<<"$heard")"
! grep -qi 'authorization\|bearer' <<<"$heard"
ok $? "...nor any authorization header"
stop_intruder "$ears"
bg=()
no_leftovers "no JVM, helper or scratch left after it"

done_testing
