#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Client mode with a terminal: `srun --spark-mode=client pyspark` gives the
# user a PySpark shell on the login host whose work runs on the allocated
# nodes.  Driven through a real pseudo-terminal (tmux), as a person would.
set -uo pipefail
# shellcheck source=tests/lab/tap.sh disable=SC1091
. "$(dirname "$0")/../tap.sh"
# shellcheck source=tests/lab/lib.sh disable=SC1091
. "$(dirname "$0")/../lib.sh"

sock=$(mktemp -u /tmp/spank-spark-tmux.XXXXXX)
t() { tmux -S "$sock" "$@"; }
# Passes once the screen shows REGEX (bash ERE) within $2 seconds.
screen_shows() {
	local deadline=$((SECONDS + $2))
	until t capture-pane -p -S -200 | grep -Eq "$1"; do
		[ "$SECONDS" -lt "$deadline" ] || return 1
		sleep 0.3
	done
}

t new-session -d -x 160 -y 50 \
	"$LAB_SRC/tests/lab/lab-exec login srun -N2 -w node1,node2 --spark-mode=client pyspark; echo EXIT=\$?; sleep 300"
screen_shows '^>>>' 180
ok $? "srun -N2 -w node1,node2 --spark-mode=client pyspark shows the PySpark prompt" ||
	diag "$(t capture-pane -p -S -200)"
t send-keys "import socket; print('sum=%d' % sc.parallelize(range(10), 2).sum())" Enter
screen_shows '^sum=45' 120
ok $? "a job typed at the prompt runs" || diag "$(t capture-pane -p -S -200)"
t send-keys "print('hosts=' + ','.join(sorted(set(sc.parallelize(range(8), 8).map(lambda _: socket.gethostname()).collect()))))" Enter
screen_shows '^hosts=node1,node2' 120
ok $? "...on the executors of node1 and node2" || diag "$(t capture-pane -p -S -200)"
t send-keys "print('driver=' + socket.gethostname())" Enter
screen_shows '^driver=login' 30
ok $? "...with the driver on login"
t send-keys "exit()" Enter
screen_shows '^EXIT=0' 60
ok $? "exit() ends srun with status 0" || diag "$(t capture-pane -p -S -200)"
t kill-server 2>/dev/null
no_leftovers "no JVM, helper or scratch left after the shell"

# The same with --pty, every Slurm user's habit: srun puts the terminal in
# raw mode for task 0, where each line would start where the last one
# ended; the plugin gives the driver its terminal back in line mode, and
# srun restores the user's settings when it ends.
t new-session -d -x 160 -y 50 \
	"$LAB_SRC/tests/lab/lab-exec login srun -N2 --spark-mode=client --pty pyspark; echo EXIT=\$?; stty -a | grep -Eo '(^| )-?(icanon|opost)( |\$)' | tr -d ' ' | sort | tr -d '\n'; echo; sleep 300"
screen_shows '^>>>' 180
ok $? "srun --pty -N2 -w node1,node2 --spark-mode=client pyspark shows the prompt at the start of a line" ||
	diag "$(t capture-pane -p -S -200)"
t send-keys "print('sum=%d' % sc.parallelize(range(10), 2).sum())" Enter
screen_shows '^sum=45' 120
ok $? "...a job's output starts its own line" || diag "$(t capture-pane -p -S -200)"
t send-keys "exit()" Enter
screen_shows '^EXIT=0' 60
ok $? "...exit() ends srun with status 0" || diag "$(t capture-pane -p -S -200)"
screen_shows '^icanonopost$' 10
ok $? "...and the terminal is back in line mode" || diag "$(t capture-pane -p -S -200)"
t kill-server 2>/dev/null
no_leftovers "no JVM, helper or scratch left after the --pty shell"

done_testing
