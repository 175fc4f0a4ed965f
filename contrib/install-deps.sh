#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs what spank-spark needs on a fresh Debian 12 machine, as root.
# Idempotent: safe to run twice.
#   install-deps.sh demo    make deps: build, the lab and make demo (Slurm
#                           22.05's packages, munge, a JDK, one Spark)
#   install-deps.sh check   make deps-check (make check runs it): the demo's
#                           and what only the tests need: lint, sanitizer
#                           and fuzzing tools, Spark 3.5 and 4.3, the Spark
#                           Connect client's modules, Slurm 24.11 from source
set -euo pipefail

level=${1:-check}
case $level in demo | check) ;; *)
	echo "usage: install-deps.sh demo|check" >&2
	exit 2
	;;
esac

SPARK_VENV=${SPARK_VENV:-/opt/spank-spark/venv}
PYSPARK_VERSION=${PYSPARK_VERSION:-4.0.1}
# Extra Spark versions the JVM component is built and tested against
# (newest 3.5.x, newest 4.x), each in its own venv: venv-<major.minor>.
PYSPARK_35_VERSION=${PYSPARK_35_VERSION:-3.5.9}
PYSPARK_4_VERSION=${PYSPARK_4_VERSION:-4.3.0}

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: must run as root (it uses apt-get and writes /opt)" >&2
	exit 1
fi

debs=(
	build-essential pkg-config
	slurmctld slurmd slurm-client libslurm-dev
	munge libmunge-dev libjansson-dev
	iproute2 util-linux procps psmisc
	openssh-server openssh-client # the lab's sshd for the ssh -L recipes (75-network.t)
	python3 python3-venv
	openjdk-17-jdk-headless
)
if [ "$level" = check ]; then
	debs+=(
		cppcheck clang-format shellcheck # make lint
		clang libclang-rt-14-dev         # make unit-asan, make fuzz (libFuzzer)
		bc time tmux perl rpm            # the lab tests, make bench, make rpm
	)
fi

missing=()
for p in "${debs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
# A JDK installed outside dpkg (javac on PATH, version 17+) is good enough.
if printf '%s\n' "${missing[@]:-}" | grep -qx openjdk-17-jdk-headless &&
	command -v javac >/dev/null && javac -version 2>&1 | grep -Eq 'javac (1[7-9]|[2-9][0-9])'; then
	missing=("${missing[@]/openjdk-17-jdk-headless/}")
fi
want=()
for p in "${missing[@]:-}"; do [ -n "$p" ] && want+=("$p"); done
if [ "${#want[@]}" -gt 0 ]; then
	echo "install-deps: apt-get install ${want[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
fi

# Spark comes from PyPI's pyspark (a source package pip builds locally),
# in a venv under /opt made with Debian's python3, so that the
# non-root job user can execute both Spark and the Python it runs on.
if ! "$SPARK_VENV/bin/python3" -c "import pyspark, sys; sys.exit(pyspark.__version__ != '$PYSPARK_VERSION')" 2>/dev/null; then
	echo "install-deps: pyspark $PYSPARK_VERSION into $SPARK_VENV (takes a few minutes)"
	mkdir -p "$(dirname "$SPARK_VENV")"
	/usr/bin/python3 -m venv "$SPARK_VENV"
	"$SPARK_VENV/bin/pip" install -q --disable-pip-version-check "pyspark==$PYSPARK_VERSION"
fi

# --- Extra Spark versions (JVM component: make jar, tests/jvm/run.sh) ---
# One venv per version, next to the default one; skipped when present.
# Only the tests use them (and the Connect client below): the demo stops
# after its Spark, byte-compiled.
extra_versions=()
[ "$level" = demo ] || extra_versions=("$PYSPARK_35_VERSION" "$PYSPARK_4_VERSION")
for v in "${extra_versions[@]}"; do
	venv=$(dirname "$SPARK_VENV")/venv-${v%.*}
	if ! "$venv/bin/python3" -c "import pyspark, sys; sys.exit(pyspark.__version__ != '$v')" 2>/dev/null; then
		echo "install-deps: pyspark $v into $venv (takes a few minutes)"
		/usr/bin/python3 -m venv "$venv"
		"$venv/bin/pip" install -q --disable-pip-version-check "pyspark==$v"
	fi
done
# --- end of extra Spark versions ---

# --- Spark Connect clients (--spark-connect) ---
# pyspark[connect]'s extras (pandas, pyarrow, grpcio, grpcio-status,
# googleapis-common-protos, zstandard from 4.1) in each Spark 4 venv, for
# SparkSession.builder.remote(url) on the login host; pandas below 3, which
# pyspark 4 does not support yet.  Skipped when every extra is there.
connect_ready='import importlib.metadata as m, re, sys
extra = [r for r in m.requires("pyspark") or [] if "extra == \"connect\"" in r]
for r in extra:
    m.version(re.match(r"[A-Za-z0-9_.-]+", r).group(0))'
connect_venvs=()
[ "$level" = demo ] || connect_venvs=("$SPARK_VENV" "$(dirname "$SPARK_VENV")/venv-${PYSPARK_4_VERSION%.*}")
for venv in "${connect_venvs[@]}"; do
	v=$("$venv/bin/python3" -c 'import pyspark; print(pyspark.__version__)' 2>/dev/null) || continue
	case $v in 4.*) ;; *) continue ;; esac
	if ! "$venv/bin/python3" -c "$connect_ready" 2>/dev/null; then
		echo "install-deps: the Spark Connect client's modules into $venv"
		"$venv/bin/pip" install -q --disable-pip-version-check "pyspark[connect]==$v" "pandas<3"
	fi
done
# --- end of Spark Connect clients ---

# Byte-compiled, as a site's packages are: job users cannot write
# __pycache__ under /opt, so every Python process of every step would
# compile what it imports again (pyspark's worker: 0.8 s to import, 0.3 s
# compiled).  pip leaves it out when PYTHONDONTWRITEBYTECODE is set.
# compileall skips what is compiled already.
for venv in "$SPARK_VENV" "$(dirname "$SPARK_VENV")"/venv-*; do
	[ -x "$venv/bin/python3" ] || continue
	"$venv/bin/python3" -m compileall -q -j 0 "$venv/lib" >/dev/null 2>&1 || true
done

chmod -R a+rX "$(dirname "$SPARK_VENV")"

# Slurm 24.11 from source under /opt/slurm-24.11, next to Debian's 22.05
# (the lab runs on either: make lab-up LAB_SLURM=24.11).  Nothing is
# rebuilt when that prefix already has it; SKIP_SLURM_24=1 skips it.
if [ "$level" = check ] && [ "${SKIP_SLURM_24:-0}" != 1 ]; then
	bash "$(dirname "$0")/build-slurm.sh"
fi
echo "install-deps: $level: done (SPARK_HOME=$("$SPARK_VENV/bin/python3" -c 'import pyspark,os;print(os.path.dirname(pyspark.__file__))'))"
