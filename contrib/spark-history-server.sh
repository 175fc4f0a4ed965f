#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Spark's own history server over the site's event_log_dir, started through
# Spark's start-history-server.sh (README: Event logs and the history
# server).
#
#   spark-history-server.sh run|start|stop
#
#   run    in the foreground: the form for a site service (systemd
#          ExecStart=) or a Slurm job (sbatch --wrap, see below);
#   start  as a daemon (Spark's spark-daemon.sh), stop ends it.
#
# Run it as the history server's own user, a member of the group that owns
# event_log_dir (spark-history in the README), never as root: it reads
# every user's event logs.  Environment:
#   SPARK_HOME           Spark (required): the site's spark_home
#   JAVA_HOME            Java, if not the one on PATH
#   EVENT_LOG_DIR        the site's event_log_dir (required)
#   HISTORY_HOST         address to listen on (default 127.0.0.1: anyone
#                        who reaches the port sees every application)
#   HISTORY_PORT         port (default 18080)
#   HISTORY_HEAP         the JVM's heap (default 256m)
#   HISTORY_STATE_DIR    its logs and pid file (default
#                        $HOME/.spark-history)
#
# It is not installed by make install: copy it where the site keeps its
# scripts (/site/bin below).  As a Slurm job, e.g.:
#   sbatch -t 7-0 --mem=1g -J spark-history --wrap \
#     "EVENT_LOG_DIR=/shared/spark-events SPARK_HOME=/opt/spark \
#      HISTORY_HOST=0.0.0.0 /site/bin/spark-history-server.sh run"
# (HISTORY_HOST=0.0.0.0 shows every user's applications to whoever reaches
# the node: only behind an authenticating filter, README.)
set -eu

die() {
	echo "spark-history-server: $*" >&2
	exit 1
}

action=${1:-}
case $action in
run | start | stop) ;;
*) die "usage: spark-history-server.sh run|start|stop" ;;
esac
[ -n "${SPARK_HOME:-}" ] || die "set SPARK_HOME to the site's spark_home"
[ -x "$SPARK_HOME/sbin/start-history-server.sh" ] ||
	die "no $SPARK_HOME/sbin/start-history-server.sh"
[ -n "${EVENT_LOG_DIR:-}" ] || die "set EVENT_LOG_DIR to the site's event_log_dir"
case $EVENT_LOG_DIR in
/*) ;;
*) die "EVENT_LOG_DIR=$EVENT_LOG_DIR: want an absolute path" ;;
esac
[ "$(id -u)" -ne 0 ] || die "do not run it as root: use a user of the event log directory's group"
if ! [ -r "$EVENT_LOG_DIR" ] || ! [ -x "$EVENT_LOG_DIR" ]; then
	die "cannot read $EVENT_LOG_DIR: run it as a member of its group"
fi

state=${HISTORY_STATE_DIR:-${HOME:-/nonexistent}/.spark-history}
umask 077
mkdir -p "$state"
export SPARK_LOG_DIR="$state" SPARK_PID_DIR="$state" SPARK_IDENT_STRING=history
# The history server listens on SPARK_LOCAL_IP; its heap is
# SPARK_DAEMON_MEMORY (start-history-server.sh).
export SPARK_LOCAL_IP="${HISTORY_HOST:-127.0.0.1}"
export SPARK_DAEMON_MEMORY="${HISTORY_HEAP:-256m}"
SPARK_HISTORY_OPTS="${SPARK_HISTORY_OPTS:-} -Dspark.history.fs.logDirectory=file://$EVENT_LOG_DIR"
SPARK_HISTORY_OPTS="$SPARK_HISTORY_OPTS -Dspark.history.ui.port=${HISTORY_PORT:-18080}"
# It may not delete what users wrote (the directory is sticky): leave
# cleaning to a root cron job.
SPARK_HISTORY_OPTS="$SPARK_HISTORY_OPTS -Dspark.history.fs.cleaner.enabled=false"
export SPARK_HISTORY_OPTS

case $action in
run)
	# spark-daemon.sh runs it in the foreground with this set.
	SPARK_NO_DAEMONIZE=1 exec "$SPARK_HOME/sbin/start-history-server.sh"
	;;
start) exec "$SPARK_HOME/sbin/start-history-server.sh" ;;
stop) exec "$SPARK_HOME/sbin/stop-history-server.sh" ;;
esac
