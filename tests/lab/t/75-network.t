#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Networks as a site has them (lab.conf): Spark's traffic goes over the
# fabric that plugstack.conf names (network=), never over the management
# network; client mode works across the router from login; every URL a
# step prints works from where it is printed, and the ssh -L recipes of
# the man page work against a real sshd on node1.
set -uo pipefail
# shellcheck source=tests/lab/tap.sh disable=SC1091
. "$(dirname "$0")/../tap.sh"
# shellcheck source=tests/lab/lib.sh disable=SC1091
. "$(dirname "$0")/../lib.sh"
install_apps

logs=$LAB_DIR/logs
nodes=$(lab_hosts | grep '^node' | xargs)
ssh_cfg=$LAB_DIR/ssh/ssh_config
ssh_log=$(mktemp)

like "$(head -n1 "$PLUGSTACK")" " network=$LAB_FAB_NET " "precondition: plugstack.conf names the fabric"

# Bytes through interface $2 of node $1 (received + sent).
if_bytes() {
	local rx tx
	rx=$(ip netns exec "$1" cat "/sys/class/net/$2/statistics/rx_bytes")
	tx=$(ip netns exec "$1" cat "/sys/class/net/$2/statistics/tx_bytes")
	echo $((rx + tx))
}
# Sum over the nodes of if_bytes for interface $1.
net_bytes() {
	local n sum=0
	for n in $nodes; do sum=$((sum + $(if_bytes "$n" "$1"))); done
	echo "$sum"
}

# 1. Cluster mode, a 64 MB shuffle that no codec shrinks: the fabric carries
#    at least 90% of the bytes the nodes move on both networks, and no
#    Spark process (JVM, Python) has a TCP connection on a management
#    address (only Slurm's and the helpers' own rendezvous are there).
log=$(mktemp)
samples=$(mktemp)
chmod 0644 "$log"
fab0=$(net_bytes "$LAB_FAB_IF")
eth0=$(net_bytes eth0)
lab login srun -N3 --spark-mode=cluster --spark-verbose netshuffle.py 64 >"$log" 2>&1 &
srun_pid=$!
while kill -0 "$srun_pid" 2>/dev/null; do
	for n in $nodes; do ip netns exec "$n" ss -Htnp | sed "s/^/$n /" >>"$samples"; done
	sleep 0.5
done
wait "$srun_pid"
rc=$?
fab=$(($(net_bytes "$LAB_FAB_IF") - fab0))
mgmt=$(($(net_bytes eth0) - eth0))
out=$(cat "$log")
is "$rc" 0 "cluster mode: the 64 MB shuffle succeeds" || diag "$out"
line=$(grep '^mb=' <<<"$out")
like "$line" '^mb=64 records=65536 before=[0-9]+ after=[0-9]+$' "...over 65536 records of 1 KiB"
before=${line#* before=}
before=${before%% *}
is "${line##* after=}" "$before" "...every record intact after the shuffle (CRC-32 sums)"
diag "bytes moved by the nodes: fabric $fab, management $mgmt"
ok "$([ "$fab" -ge $((50 * 1024 * 1024)) ] && echo 0 || echo 1)" \
	"the fabric carried at least 50 MB ($fab bytes)"
ok "$([ $((fab * 100)) -ge $(((fab + mgmt) * 90)) ] && echo 0 || echo 1)" \
	"...at least 90% of the bytes on both networks (management: $mgmt)"
# A JVM's IPv4 socket may show as [::ffff:A.B.C.D].
spark='"(java|python[0-9.]*)"'
on() { grep -E "[[:space:]:]${1//./\\.}\\.[0-9]+\\]?:[0-9]+[[:space:]]"; }
spark_on_fab=$(grep -E "$spark" "$samples" | on "$LAB_FAB_PREFIX" | wc -l)
ok "$([ "$spark_on_fab" -gt 0 ] && echo 0 || echo 1)" \
	"ss saw Spark's connections on the fabric during the step ($spark_on_fab samples)"
is "$(grep -E "$spark" "$samples" | on "$LAB_PREFIX" | sort -u)" "" \
	"...and no Spark connection on a management address"
# What the nodes advertise, and why (--spark-verbose).
like "$out" "spank-spark: the driver side on node1 advertises $(lab_fab_addr node1): its address on the site's network \\(network=$LAB_FAB_NET\\)" \
	"--spark-verbose: the driver side says which address it advertises and why"
like "$out" "spank-spark: the executor side on node3 advertises $(lab_fab_addr node3): its address on the site's network \\(network=$LAB_FAB_NET\\)" \
	"...and so does each executor side"
rm -f "$samples"
no_leftovers "no JVM, helper or scratch left after the shuffle"

# 2. Client mode from login, across the router: the executors advertise
#    the address the route to the driver leaves from (login is off the
#    fabric and must reach them back); the result is right.
out=$(lab login srun -N2 --spark-mode=client --spark-verbose netshuffle.py 2 2>&1)
is "$?" 0 "client mode across the router: the step succeeds" || diag "$out"
line=$(grep '^mb=' <<<"$out")
before=${line#* before=}
before=${before%% *}
like "$line" '^mb=2 records=2048 ' "...with every record" &&
	is "${line##* after=}" "$before" "...intact after the shuffle"
like "$out" "spank-spark: the driver side on login advertises $(lab_addr login): the address executor node node[0-9]+ reached it on \\(none of its addresses is on the site's network\\)" \
	"--spark-verbose: login's driver side learnt its address from the executors"
exe=$(sed -n 's/^spank-spark: the executor side on \(node[0-9]*\) advertises .*/\1/p' <<<"$out" | head -n1)
like "$out" "spank-spark: the executor side on $exe advertises $(lab_addr "${exe:-none}"): the route to the client-mode driver at $(lab_addr login) leaves from it, not from $(lab_fab_addr "${exe:-none}") \\(network=$LAB_FAB_NET\\)" \
	"...and the executors advertise the management address that reaches login"
no_leftovers "no JVM, helper or scratch left after the client-mode step"

# 3. Cluster mode with Spark Connect, while it runs: the UI's URL works from
#    login as printed (node1's name address, across the router); the
#    man page's ssh -L recipes work from login against node1's sshd.
log=$(mktemp)
chmod 0644 "$log"
job=$(next_job_id)
# node1 (its sshd) is the driver node.
lab login srun -N2 -w node1,node2 --spark-mode=cluster --spark-connect sleep infinity >"$log" 2>&1 &
srun_pid=$!
ui_file=$logs/$LAB_USER/$job/ui-url.0
connect_file=$logs/$LAB_USER/$job/connect-url.0
deadline=$((SECONDS + 180))
until { [ -s "$ui_file" ] && [ -s "$connect_file" ]; } || [ "$SECONDS" -ge "$deadline" ] ||
	! kill -0 "$srun_pid" 2>/dev/null; do
	sleep 0.5
done
url=$(cat "$ui_file" 2>/dev/null)
like "$url" "^http://$(lab_addr node1 | sed 's/\./\\./g'):[0-9]+/\\?spank-spark-token=[0-9a-f]{64}\$" \
	"the UI's URL names node1's management address (its name's)" || diag "$(cat "$log")"
jar=$(mktemp -u)
is "$(lab login curl -s -o /dev/null -w '%{http_code}' -c "$jar" "$url")" 302 \
	"...and works from login, where it is printed (the token sets the cookie)"
is "$(lab login curl -s -o /dev/null -w '%{http_code}' -L -b "$jar" -c "$jar" "$url")" 200 \
	"...then the UI answers (its redirect into the secret path followed)"
lab login rm -f "$jar"

# Forward $1 (ssh's -L arguments) from login to node1 with the lab's key;
# prints ssh's pid once login listens on port $2 (the forwarded one).
forward() {
	local spec=$1 port=$2 pid deadline
	# shellcheck disable=SC2086 # $spec is the recipe's words
	# lab-exec itself (not the lab function): every step execs, so $! is ssh.
	"$LAB_SRC/tests/lab/lab-exec" login ssh -F "$ssh_cfg" -N -o ExitOnForwardFailure=yes $spec node1 </dev/null >>"$ssh_log" 2>&1 &
	pid=$!
	deadline=$((SECONDS + 30))
	until ip netns exec login ss -Htln "sport = :$port" | grep -q . ||
		[ "$SECONDS" -ge "$deadline" ] || ! kill -0 "$pid" 2>/dev/null; do
		sleep 0.2
	done
	echo "$pid"
}

# The UI's recipe (doc/spank-spark.8): ssh -N -L PORT:localhost:PORT NODE.
ui_port=${url#http://*:}
ui_port=${ui_port%%/*}
pid=$(forward "-L $ui_port:localhost:$ui_port" "$ui_port")
is "$(lab login curl -s -o /dev/null -w '%{http_code}' \
	"http://localhost:$ui_port/?${url#*\?}")" 302 \
	"ssh -N -L $ui_port:localhost:$ui_port node1: the UI answers on login's loopback"
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null

# Connect's recipe, both loopbacks (pyspark's gRPC tries [::1] first).
curl_=$(cat "$connect_file" 2>/dev/null)
like "$curl_" '^sc://localhost:2[0-9]{4}/;token=[0-9a-f]{64}$' "the step's Connect URL is sc://localhost:PORT/"
port=${curl_#sc://localhost:}
port=${port%%/*}
pid=$(forward "-L 127.0.0.1:$port:127.0.0.1:$port -L [::1]:$port:127.0.0.1:$port" "$port")
out=$(lab login "$SPARK_VENV/bin/python3" connect_client.py "$connect_file" 2>&1)
is "$(field count "$out")" 1000 \
	"ssh -N -o ExitOnForwardFailure=yes -L 127.0.0.1:P:127.0.0.1:P -L [::1]:P:127.0.0.1:P node1: the Connect URL works from login" ||
	diag "$out"
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
lab login scancel "$job"
wait "$srun_pid" 2>/dev/null
no_leftovers "no JVM, helper or scratch left after scancel" 30

# 4. Without network=/interface=: the driver node advertises what its name
#    resolves to, the executors the route to it (both management here).
drop_from_plugstack 'network=[^ ]*'
out=$(lab login srun -N2 --spark-mode=cluster --spark-verbose netshuffle.py 1 2>&1)
rc=$?
restore_plugstack
is "$rc" 0 "without network=: cluster mode still works" || diag "$out"
# The step's nodes are the scheduler's pick: read them from the lines.
drv=$(sed -n 's/^spank-spark: the driver side on \(node[0-9]*\) advertises .*/\1/p' <<<"$out")
exe=$(sed -n 's/^spank-spark: the executor side on \(node[0-9]*\) advertises .*/\1/p' <<<"$out")
like "$out" "spank-spark: the driver side on $drv advertises $(lab_addr "${drv:-none}"): what its host name resolves to" \
	"...the driver side advertises its name's address, and says so"
like "$out" "spank-spark: the executor side on $exe advertises $(lab_addr "${exe:-none}"): the local end of the route to $(lab_addr "${drv:-none}")" \
	"...the executor side the route's local end towards it, and says so"
no_leftovers "no JVM, helper or scratch left without network="

done_testing
