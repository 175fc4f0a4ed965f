#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The rendezvous alone, on loopback inside node1, with the lab's real munge:
# garbage, a registration from another uid, one for another job and a
# replayed credential are refused and logged; a good one still gets in.
set -uo pipefail
# shellcheck source=tests/lab/tap.sh disable=SC1091
. "$(dirname "$0")/../tap.sh"
# shellcheck source=tests/lab/lib.sh disable=SC1091
. "$(dirname "$0")/../lib.sh"

helper=$LAB_DIR/lib/spank-spark-helper
site=(ports=30000-30099 "munge_socket=$LAB_DIR/munge/munge.socket.2" startup_timeout=60)
job=900001
out=$(mktemp)
chmod 0666 "$out"

lab node1 "$helper" rendezvous-server --job=$job --step=0 --count=2 "${site[@]}" >"$out" 2>&1 &
server=$!
deadline=$((SECONDS + 10))
until grep -q '^listening on port' "$out" || [ "$SECONDS" -ge "$deadline" ]; do sleep 0.1; done
port=$(sed -n 's/^listening on port //p' "$out")
like "$port" '^300[0-9][0-9]$' "the server listens on a port of the site range"

# Garbage: a plausible frame with a bad credential, and an HTTP request.
lab node1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port; printf '\0\0\0\5hello' >&3; sleep 0.5"
lab node1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port; printf 'GET / HTTP/1.0\r\n\r\n' >&3; sleep 0.5"
# Another uid (root) with a valid munge credential.
forged=$(lab --root node1 "$helper" rendezvous-client --job=$job --step=0 "${site[@]}" \
	startup_timeout=3 2>&1)
like "$forged" "refused" "a registration from another uid gets no welcome"
# The job owner, but for another job, sent to this job's port.
wrong=$(lab node1 "$helper" rendezvous-client --job=$((job + 1)) --step=0 --port="$port" \
	"${site[@]}" 2>&1)
like "$wrong" "refused" "a registration for another job gets no welcome"
# A credential sent twice (the first copy registers, then leaves again).
replay=$(lab node1 "$helper" rendezvous-client --job=$job --step=0 --replay "${site[@]}" 2>&1)
like "$replay" "replay: refused" "a replayed credential is refused" || diag "$replay"
# And the real thing still works: two executors register and are welcomed.
good=$(lab node1 "$helper" rendezvous-client --job=$job --step=0 --count=2 "${site[@]}" 2>&1)
like "$good" "welcomed 2/2" "good registrations are welcomed"

wait $server
is "$?" 0 "the server ends once its executors registered"
log=$(cat "$out")
like "$log" "registered 2/2, refused 5" "five refusals counted, two registrations"
like "$log" "refused a registration from 127.0.0.1: munge: " "garbage: munge refused it"
like "$log" "refused a registration from 127.0.0.1: not a spank-spark frame" "an HTTP request: not a frame"
like "$log" "refused a registration from 127.0.0.1: sent by uid 0, not the job owner" "another uid: refused"
like "$log" "refused a registration from 127.0.0.1: for job $((job + 1)) step 0, not $job.0" "another job: refused"
like "$log" "refused a registration from 127.0.0.1: munge: Replayed credential" "replay: refused by munge"
rm -f "$out"

done_testing
