#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The lab itself: Slurm works from login, hostnames and name resolution are
# what the client-mode tests assume, the networks are a site's (management,
# fabric, login behind a router), and nothing can leave the lab's subnets.
# Needs a running lab (tests/lab/lab-up); run: prove -v tests/lab/t/00-lab.t
set -uo pipefail
# shellcheck source=tests/lab/tap.sh disable=SC1091
. "$(dirname "$0")/../tap.sh"
# shellcheck source=tests/lab/lib.sh disable=SC1091
. "$(dirname "$0")/../lib.sh"

want_nodes=$(for ((k = 1; k <= LAB_NODES; k++)); do echo "node$k"; done)
got=$(lab login srun -N"$LAB_NODES" hostname | sort)
is "$got" "$want_nodes" "srun -N$LAB_NODES hostname from login runs once on every node"

is "$(lab login whoami)" "$LAB_USER" "lab-exec runs as $LAB_USER by default"
is "$(lab --user "$LAB_INTRUDER" login whoami)" "$LAB_INTRUDER" "lab-exec --user $LAB_INTRUDER runs as the second lab user"
isnt_id=$(id -u "$LAB_INTRUDER")
[ "$isnt_id" != "$(id -u "$LAB_USER")" ] && [ "$isnt_id" != 0 ]
ok $? "$LAB_INTRUDER is neither $LAB_USER nor root"
is "$(lab login hostname)" login "hostname inside login is login"
is "$(lab --root node1 hostname)" node1 "hostname inside node1 is node1"

# Client-mode tests rely on the submit host's name being unknown on the nodes.
ok_cmd "getent hosts login works on login" lab login getent hosts login
! lab node1 getent hosts login >/dev/null
ok $? "getent hosts login fails on node1"
ok_cmd "getent hosts node1 works on node2" lab node2 getent hosts node1

out=$(lab login sbatch --parsable -o 'lab00-%j.out' --wrap hostname)
like "$out" '^[0-9]+$' "sbatch --wrap hostname gives a job id"
jobid=${out%%;*}
is "$(job_state "$jobid")" COMPLETED "the batch job completes"
outfile=/home/$LAB_USER/lab00-$jobid.out
like "$(cat "$outfile" 2>&1)" '^node[0-9]+$' "its output is a node name"
rm -f "$outfile"

lab login sh -c 'exit 7'
is $? 7 "lab-exec passes the exit status through"
(lab login sh -c 'kill -TERM $$') 2>/dev/null # bash would print "Terminated"
is $? 143 "lab-exec passes death by signal through"

# The networks (lab.conf): management for ctl and the nodes, a fabric for
# the nodes only, login on a subnet of its own behind a router.
for n in $(lab_hosts | grep '^node'); do
	like "$(ip -n "$n" -4 -o addr show dev "$LAB_FAB_IF")" " $(lab_fab_addr "$n")/24 " \
		"$n has its fabric address on $LAB_FAB_IF"
done
! ip -n ctl link show "$LAB_FAB_IF" >/dev/null 2>&1 && ! ip -n login link show "$LAB_FAB_IF" >/dev/null 2>&1
ok $? "ctl and login are not on the fabric"
like "$(ip -n login route get "$(lab_addr node1)")" " via $LAB_RT_LOGIN " \
	"login reaches node1 through the router"
like "$(ip -n node2 route get "$(lab_addr login)")" " via $LAB_RT_MGMT dev eth0 " \
	"node2 reaches login through the router, on the management network"
! ip -n login route get "$(lab_fab_addr node1)" >/dev/null 2>&1
ok $? "login has no route to the fabric"
is "$(ip netns exec "$LAB_RTNS" sysctl -n net.ipv4.ip_forward)" 1 "the router forwards"
for ns in $LAB_BRNS $LAB_FABNS $(lab_hosts); do
	is "$(ip netns exec "$ns" sysctl -n net.ipv4.ip_forward)" 0 "$ns does not forward"
done
is "$(lab login getent hosts node3 | awk '{print $1}')" "$(lab_addr node3)" \
	"a node's name resolves on login, to its management address"

# No lab namespace may reach anything outside the lab's subnets.
for ns in $(lab_infra_ns) $(lab_hosts); do
	is "$(ip -n "$ns" route show default)" "" "no default route in $ns"
done
routes() { ip -n "$1" -4 route show | awk '{print $1}' | sort | xargs; }
is "$(routes ctl)" "$LAB_NET $LAB_LOGIN_NET" "ctl: management, and login's subnet via the router"
is "$(routes login)" "$LAB_NET $LAB_LOGIN_NET" "login: its subnet, and management via the router"
for ns in $(lab_hosts | grep '^node'); do
	is "$(routes "$ns")" "$LAB_NET $LAB_FAB_NET $LAB_LOGIN_NET" "$ns: management, fabric, login's subnet via the router"
done
is "$(routes "$LAB_RTNS")" "$LAB_NET $LAB_LOGIN_NET" "the router: management and login's subnet only"
for net in $LAB_NETS; do
	like "$(ip route show "$net")" "^blackhole $net" "root namespace blackholes $net"
done

done_testing
