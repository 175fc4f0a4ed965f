#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The lab itself: Slurm works from login, hostnames and name resolution are
# what the client-mode tests assume, and nothing can leave the lab subnet.
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

# No lab namespace may reach anything outside the lab subnet.
for ns in "$LAB_BRNS" $(lab_hosts); do
	is "$(ip -n "$ns" route show default)" "" "no default route in $ns"
done
for ns in $(lab_hosts); do
	is "$(ip -n "$ns" -4 route show | awk '{print $1}')" "$LAB_NET" "only the lab route in $ns"
done
like "$(ip route show "$LAB_NET")" "^blackhole $LAB_NET" "root namespace blackholes the lab subnet"

done_testing
