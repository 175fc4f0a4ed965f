#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The rendezvous alone (tests/tools/rdvtool), on loopback inside node1, with
# the lab's real munge, attacked by the intruder: garbage, another uid's
# credential carrying attacker text, another job, a replayed credential, a
# relay from a squatted port, squatted candidates and a connection flood.
# Nothing the attacker sent reaches the log, and good registrations still
# get in.
set -uo pipefail
# shellcheck source=tests/lab/tap.sh disable=SC1091
. "$(dirname "$0")/../tap.sh"
# shellcheck source=tests/lab/lib.sh disable=SC1091
. "$(dirname "$0")/../lib.sh"

tool=$LAB_DIR/lib/rdvtool
install -m 0755 "$LAB_SRC/tests/tools/rdvtool" "$tool"
sock=$LAB_DIR/munge/munge.socket.2
site=(ports=30000-30099 "munge_socket=$sock" startup_timeout=90)
job=900001
# Both sides' candidate ports come from this seed (srun draws it at random;
# here the intruder is even given it, the worst case).
seed=0123456789abcdef
out=$(mktemp)
chmod 0666 "$out"

# Runs python code as the intruder in node1, in the background: exec, so
# that $! is python itself and kill ends it (else it would sleep on with
# the test's standard output open, and prove would wait for it).
as_intruder() {
	exec ip netns exec node1 setpriv --reuid="$LAB_INTRUDER" --regid="$LAB_INTRUDER" \
		--clear-groups /usr/bin/python3 -c "$@" >/dev/null
}

# The intruder squats the first 4 candidates: it listens and says nothing.
candidates=$(lab node1 env SLURM_SPANK_SPARK_RENDEZVOUS=$seed "$tool" ports "${site[@]}" | head -n 4 | tr '\n' ' ')
as_intruder "
import socket, time
ss = []
for p in '$candidates'.split():
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('0.0.0.0', int(p))); s.listen(64); ss.append(s)
time.sleep(120)" &
squatter=$!
sleep 0.5

lab node1 env SLURM_SPANK_SPARK_RENDEZVOUS=$seed "$tool" server --job=$job --step=0 --count=2 \
	"${site[@]}" >"$out" 2>&1 &
server=$!
deadline=$((SECONDS + 10))
until grep -q '^listening on port' "$out" || [ "$SECONDS" -ge "$deadline" ]; do sleep 0.1; done
port=$(sed -n 's/^listening on port //p' "$out")
like "$port" '^300[0-9][0-9]$' "the server listens on a port of the site range"
! grep -qw "$port" <<<"$candidates"
ok $? "...not on a candidate the intruder squatted"

# Garbage: a plausible frame with a bad credential, and an HTTP request.
lab node1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port; printf '\0\0\0\5hello' >&3; sleep 0.5"
lab node1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port; printf 'GET / HTTP/1.0\r\n\r\n' >&3; sleep 0.5"
# A valid munge credential of the intruder's carrying attacker text, and
# one of the owner's that is no JSON at all but attacker text.
frame() { /usr/bin/python3 -c 'import sys; c=sys.stdin.read().strip().encode(); sys.stdout.buffer.write(len(c).to_bytes(4,"big")+c)'; }
ip netns exec node1 setpriv --reuid="$LAB_INTRUDER" --regid="$LAB_INTRUDER" --clear-groups \
	munge -S "$sock" -s '{"type":"register","host":"PWNED-A; touch /tmp/x"}' | frame >/tmp/pwn-a.$$
lab node1 munge -S "$sock" -s 'PWNED-B near {' | frame >/tmp/pwn-b.$$
for f in /tmp/pwn-a.$$ /tmp/pwn-b.$$; do
	lab --root node1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port; cat $f >&3; sleep 0.5"
done
rm -f /tmp/pwn-a.$$ /tmp/pwn-b.$$
# The job owner, but for another job, sent to this job's port: the client
# itself refuses the server's hello.
wrong=$(lab node1 "$tool" client --job=$((job + 1)) --step=0 --port="$port" "${site[@]}" 2>&1)
like "$wrong" "refused: for job $job step 0, not $((job + 1)).0" \
	"an executor of another job does not register with this driver"
# A relay: the intruder listens on a port and forwards to the real one.
as_intruder "
import socket, threading
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(('127.0.0.1', 30150)); l.listen(4)
def pump(a, b):
    try:
        while True:
            d = a.recv(65536)
            if not d: break
            b.sendall(d)
    except OSError: pass
    finally:
        for s in (a, b):
            try: s.shutdown(socket.SHUT_RDWR)
            except OSError: pass
c, _ = l.accept(); u = socket.create_connection(('127.0.0.1', $port))
threading.Thread(target=pump, args=(c, u)).start(); pump(u, c)" &
relay=$!
sleep 0.5
relayed=$(lab node1 "$tool" client --job=$job --step=0 --port=30150 "${site[@]}" 2>&1)
like "$relayed" "refused: a hello not for port 30150" \
	"a registration relayed from another port is refused by the executor itself"
kill $relay 2>/dev/null
# A credential sent twice.
replay=$(lab node1 "$tool" client --job=$job --step=0 --replay --port="$port" "${site[@]}" 2>&1)
like "$replay" "replay: refused" "a replayed credential is refused" || diag "$replay"
# A flood: 400 raw connections of the intruder's, held open.
as_intruder "
import socket, time
cs = []
for _ in range(400):
    try: cs.append(socket.create_connection(('127.0.0.1', $port), timeout=2))
    except OSError: pass
time.sleep(20)" &
flood=$!
sleep 2
# And the real thing still works: two executors register and are welcomed,
# past the squatted candidates and through the flood.
good=$(lab node1 env SLURM_SPANK_SPARK_RENDEZVOUS=$seed "$tool" client --job=$job --step=0 --count=2 \
	"${site[@]}" 2>&1)
like "$good" "welcomed 2/2" "good registrations are welcomed despite squatters and a flood" || diag "$good"

wait $server
is "$?" 0 "the server ends once its executors registered"
kill $flood $squatter 2>/dev/null
wait 2>/dev/null
log=$(cat "$out")
like "$log" "refused a registration from 127.0.0.1: munge: " "garbage: munge refused it"
like "$log" "refused a registration from 127.0.0.1: not a spank-spark frame" "an HTTP request: not a frame"
like "$log" "refused a registration from 127.0.0.1: sent by uid $(id -u "$LAB_INTRUDER"), not the job owner" \
	"another uid: refused before its payload is parsed"
like "$log" "refused a registration from 127.0.0.1: not a JSON object" "the owner's garbage: refused"
! grep -q PWNED <<<"$log"
ok $? "no byte of the attacker's text reaches the log"
like "$log" "munge: Replayed credential" "replay: refused by munge"
like "$log" 'more connection\(s\) in the last' "the flood's refusals are counted, not logged one by one"
lines=$(grep -c 'refused' <<<"$log")
[ "$lines" -lt 40 ]
ok $? "a flood of 400 connections leaves fewer than 40 log lines ($lines)"
rm -f "$out"

done_testing
