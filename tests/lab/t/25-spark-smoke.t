#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Cluster and client mode on the lab's Spark (LAB_SPARK: make check runs
# this on every supported version): placement, authentication, the
# spank-spark cluster manager, exit status, nothing left.
set -uo pipefail
# shellcheck source=tests/lab/tap.sh disable=SC1091
. "$(dirname "$0")/../tap.sh"
# shellcheck source=tests/lab/lib.sh disable=SC1091
. "$(dirname "$0")/../lib.sh"
install_apps

want=$("$SPARK_VENV/bin/python3" -c 'import pyspark; print(pyspark.__version__)')
note "Spark $want (LAB_SPARK=$LAB_SPARK)"
out=$(lab login srun -N3 --spark-mode=cluster placement.py 4 spark.app.id 2>&1)
is "$?" 4 "Spark $want, cluster mode: the application's status is srun's" || diag "$out"
is "$(field driver "$out")/$(field executors "$out")" node1/node2,node3 \
	"...driver on node1, executors on node2,node3"
is "$(field authenticate "$out")" true "...authenticated"
like "$(field master "$out")" '^spark-slurm://' "...scheduled by spank-spark's cluster manager"
like "$(field conf.spark.app.id "$out")" '^slurm-' "...with the step's application id"
no_leftovers "...nothing left"
out=$(lab login srun -N2 --spark-mode=client placement.py 0 2>&1)
is "$(field driver "$out")/$(field executors "$out")" login/node1,node2 \
	"Spark $want, client mode: driver on login, executors on node1,node2" || diag "$out"
no_leftovers "...nothing left"

done_testing
