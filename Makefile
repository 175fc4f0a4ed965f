# SPDX-License-Identifier: GPL-2.0-or-later
# spank-spark: a SPANK plugin and its helper that run Apache Spark
# applications as Slurm job steps.  `make help` lists the targets.

# The one place the version is written (NEWS says what is in it).
VERSION := 0.2.0

PREFIX ?= /usr/local
DESTDIR ?=
LIBEXECDIR ?= $(PREFIX)/libexec/spank-spark
BINDIR ?= $(PREFIX)/bin
# Which Slurm to build against: empty for the system's (Debian's
# libslurm-dev in /usr/include), or an upstream install's prefix
# (make SLURM_PREFIX=/opt/slurm-24.11).  A plugin built against another
# prefix is plugin/spank_spark-<version>.so, so that both can exist.
SLURM_PREFIX ?=
SLURM_INCLUDE := $(if $(SLURM_PREFIX),$(SLURM_PREFIX)/include,/usr/include)
SLURM_VERSION := $(shell v=$$(sed -n 's/^.define SLURM_VERSION_NUMBER //p' \
	$(SLURM_INCLUDE)/slurm/slurm_version.h 2>/dev/null) && [ -n "$$v" ] && \
	printf '%d.%02d' $$((v >> 16)) $$((v >> 8 & 255)))
# Slurm's plugin directory: $(libdir)/slurm-wlm on Debian, $(libdir)/slurm
# for upstream and RHEL-style installs (lib64 too); when none exists yet,
# what this system's layout would be.  Without pkg-config's answer the
# system's libdir is /usr/lib/<multiarch triplet> (Debian, Ubuntu: the
# compiler's or dpkg's), else /usr/lib64 where it exists (RHEL), else /usr/lib.
MULTIARCH := $(or $(shell $(CC) -print-multiarch 2>/dev/null),$(shell dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null))
SYSTEM_LIBDIR := $(or $(if $(MULTIARCH),$(wildcard /usr/lib/$(MULTIARCH))),$(wildcard /usr/lib64),/usr/lib)
SLURM_LIBDIR := $(if $(SLURM_PREFIX),$(firstword $(patsubst %/slurm,%,$(wildcard $(SLURM_PREFIX)/lib64/slurm)) $(SLURM_PREFIX)/lib),$(or $(shell pkg-config --variable=libdir slurm 2>/dev/null),$(SYSTEM_LIBDIR)))
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/spank-spark
SLURM_PLUGIN_DIR ?= $(firstword $(wildcard $(SLURM_LIBDIR)/slurm-wlm $(SLURM_LIBDIR)/slurm) \
	$(SLURM_LIBDIR)/$(if $(and $(wildcard /etc/debian_version),$(if $(SLURM_PREFIX),,y)),slurm-wlm,slurm))
# Slurm 23.11+ can prepend to a task's argv (plugin/remote.c).
SLURM_FEATURES := $(if $(shell grep -s -l 'spank_prepend_task_argv' $(SLURM_INCLUDE)/slurm/spank.h),-DHAVE_SPANK_PREPEND_TASK_ARGV)
SYSCONFDIR ?= /etc/slurm

CC ?= cc
CFLAGS ?= -O2 -g
# Warnings are errors only in the project's own checks (make check, make
# lint, .ci/run set WERROR=-Werror): a newer compiler's new warning must not
# break a user's build.
WERROR ?=
WARN = -std=c11 -Wall -Wextra $(WERROR) -Wshadow -Wformat=2 -Wno-format-nonliteral
HARDEN := -fstack-protector-strong -D_FORTIFY_SOURCE=2 -fPIC
CPPFLAGS += -D_GNU_SOURCE -Icommon -DSS_VERSION='"$(VERSION)"' \
	    -DSS_DEFAULT_HELPER='"$(LIBEXECDIR)/spank-spark-helper"' \
	    -DSS_DEFAULT_JAR='"$(LIBEXECDIR)/spank-spark.jar"'
ALL_CFLAGS = $(WARN) $(HARDEN) $(CFLAGS) $(CPPFLAGS)
LDHARDEN := -Wl,-z,relro,-z,now,-z,noexecstack
# What is compiled in (the helper's path, the version) and how: when any of
# it changes, e.g. make install PREFIX=/usr after a plain make, everything
# is rebuilt rather than installing a plugin that looks in the wrong place.
BUILD_CONFIG := $(CC) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS) $(WERROR)
ifneq ($(BUILD_CONFIG),$(file <.build-config))
$(file >.build-config,$(BUILD_CONFIG))
endif

# Pure code shared by plugin, helper and unit tests (no Slurm symbols),
# built once into a static library of position-independent objects.
COMMON_SRC := $(wildcard common/*.c)
COMMON_OBJ := $(COMMON_SRC:.c=.o)
COMMON_LIB := common/libcommon.a
PLUGIN_SRC := $(wildcard plugin/*.c)
HELPER_SRC := $(wildcard helper/*.c)
# The helper's code without its main(), a static library for the helper,
# its unit tests (tests/unit/) and test tools (tests/tools/).
HELPER_LIB_SRC := $(filter-out helper/main.c,$(HELPER_SRC))
HELPER_LIB_OBJ := $(HELPER_LIB_SRC:.c=.o)
HELPER_LIB := helper/libhelper.a
HELPER_LIBS := -lmunge -ljansson
TOOLS := tests/tools/rdvtool
UNIT_TESTS := $(patsubst %.c,%,$(wildcard tests/unit/test_*.c))

PLUGIN := plugin/spank_spark$(if $(SLURM_PREFIX),-$(or $(SLURM_VERSION),$(notdir $(SLURM_PREFIX)))).so
PLUGIN_CPPFLAGS := $(if $(SLURM_PREFIX),-I$(SLURM_INCLUDE)) $(SLURM_FEATURES)
# The lab's Slurm (make lab-up LAB_SLURM=24.11): 22.05 is Debian's.
LAB_SLURM ?= 22.05
LAB_SLURM_PREFIX := $(if $(filter 22.05,$(LAB_SLURM)),,/opt/slurm-$(LAB_SLURM))
HELPER := helper/spank-spark-helper
# The user's command: their running steps' URLs (user/).
URLS := user/spank-spark-urls

.PHONY: all install uninstall deps deps-check lab-up lab-down demo check check-full unit lab-test \
	bench bench-fresh lint format clean help deb rpm install-check version unit-asan fuzz \
	plugin lab-plugin

all: $(PLUGIN) $(HELPER) $(URLS) $(TOOLS)

plugin: $(PLUGIN)

# The plugin built against the lab's Slurm, when that is not the system's.
lab-plugin:
	$(if $(LAB_SLURM_PREFIX),$(MAKE) --no-print-directory SLURM_PREFIX=$(LAB_SLURM_PREFIX) plugin,@:)

# The .so exports only the SPANK symbols (plugin/spank_spark.map).
common/%.o: common/%.c $(wildcard common/*.h) .build-config
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(COMMON_LIB): $(COMMON_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(PLUGIN): $(PLUGIN_SRC) $(wildcard plugin/*.h common/*.h) $(COMMON_LIB) plugin/spank_spark.map \
		.build-config
	$(CC) $(ALL_CFLAGS) $(PLUGIN_CPPFLAGS) -shared $(LDHARDEN) $(LDFLAGS) \
		-Wl,--version-script=plugin/spank_spark.map \
		-o $@ $(PLUGIN_SRC) $(COMMON_LIB)

helper/%.o: helper/%.c $(wildcard helper/*.h common/*.h) .build-config
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(HELPER_LIB): $(HELPER_LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(HELPER): helper/main.c $(wildcard helper/*.h common/*.h) $(HELPER_LIB) $(COMMON_LIB) .build-config
	$(CC) $(ALL_CFLAGS) -fPIE -pie $(LDHARDEN) $(LDFLAGS) -o $@ \
		helper/main.c $(HELPER_LIB) $(COMMON_LIB) $(HELPER_LIBS)

$(URLS): $(URLS).c $(wildcard common/*.h) $(COMMON_LIB) .build-config
	$(CC) $(ALL_CFLAGS) -fPIE -pie $(LDHARDEN) $(LDFLAGS) -o $@ $< $(COMMON_LIB)

tests/tools/%: tests/tools/%.c $(wildcard helper/*.h common/*.h) $(HELPER_LIB) $(COMMON_LIB) .build-config
	$(CC) $(ALL_CFLAGS) -Ihelper -fPIE -pie $(LDHARDEN) $(LDFLAGS) -o $@ $< \
		$(HELPER_LIB) $(COMMON_LIB) $(HELPER_LIBS)

# A unit test links what it uses of the helper's library and common's.
tests/unit/test_%: tests/unit/test_%.c tests/unit/tap.h $(wildcard helper/*.h) $(HELPER_LIB) \
		$(COMMON_LIB) .build-config
	$(CC) $(ALL_CFLAGS) -Ihelper $(LDFLAGS) -o $@ $< $(HELPER_LIB) $(COMMON_LIB) $(HELPER_LIBS)

# --- JVM component (jvm/): the spark-slurm:// cluster manager, the executor
# launcher and the UI filter, compiled against the site's Spark, and beside
# the jar the JVM options of that Spark for executor JVMs ($(JAR).args, a java
# @file). One pair per Spark version: make jar SPARK_HOME=... JAR=.../x.jar
JAVAC ?= javac
JAVA ?= java
JAR_TOOL ?= jar
JAR ?= jvm/spank-spark.jar
JVM_BUILD := jvm/build
JVM_SRC := $(wildcard jvm/src/org/spankspark/*.java)
# Found once, and only when used: importing pyspark takes half a second.
SPARK_HOME ?= $(eval SPARK_HOME := $(shell /opt/spank-spark/venv/bin/python3 -c \
	'import pyspark, os; print(os.path.dirname(pyspark.__file__))' 2>/dev/null || echo /opt/spark))$(SPARK_HOME)

# make builds the jar when it can: with a JDK and a Spark to compile
# against; otherwise it says so and builds the rest (make jar insists).
ifneq ($(shell command -v $(JAVAC) 2>/dev/null),)
all: jar-if-spark
else
all: jar-skipped
endif

.PHONY: jar jvm-test jvm-clean jar-if-spark jar-skipped
jar: $(JAR)

jar-if-spark:
	@if [ -d "$(SPARK_HOME)/jars" ]; then \
		$(MAKE) --no-print-directory -q SPARK_HOME="$(SPARK_HOME)" $(JAR) || \
		$(MAKE) --no-print-directory SPARK_HOME="$(SPARK_HOME)" $(JAR); \
	else \
		echo "make: no Spark in $(SPARK_HOME)/jars: $(JAR) (the JVM component) not built; make jar SPARK_HOME=<your Spark> builds it"; \
	fi

jar-skipped:
	@echo "make: no $(JAVAC) (JDK 17 or later): $(JAR) (the JVM component) not built; make jar builds it once there is one"

# Spark 4 serves its UI with jakarta.servlet (servlet API 5+), Spark 3 with
# javax.servlet (its jakarta.servlet-api-4.x jar still holds javax.*): the
# filter is written for jakarta and rewritten by sed for the latter.
$(JAR): $(JVM_SRC) jvm/META-INF/services/org.apache.spark.scheduler.ExternalClusterManager jvm/preload-classes.txt
	@test -d "$(SPARK_HOME)/jars" || { echo "no Spark jars in $(SPARK_HOME)/jars: set SPARK_HOME" >&2; exit 1; }
	rm -rf $(JVM_BUILD) && mkdir -p $(JVM_BUILD)/src $(JVM_BUILD)/classes/META-INF/services
	cp $(JVM_SRC) $(JVM_BUILD)/src/
	if [ -z "$$(ls "$(SPARK_HOME)"/jars/jakarta.servlet-api-[5-9]*.jar "$(SPARK_HOME)"/jars/jakarta.servlet-api-[1-9][0-9]*.jar 2>/dev/null)" ]; then \
		sed -i 's/\bjakarta\.servlet\./javax.servlet./' $(JVM_BUILD)/src/UiAuthFilter.java; fi
	$(JAVAC) -J-Xmx256m --release 17 -Xlint:all,-path -Werror -cp "$(SPARK_HOME)/jars/*" \
		-d $(JVM_BUILD)/classes $(JVM_BUILD)/src/*.java
	cp jvm/META-INF/services/org.apache.spark.scheduler.ExternalClusterManager $(JVM_BUILD)/classes/META-INF/services/
	cp jvm/preload-classes.txt $(JVM_BUILD)/classes/org/spankspark/
	mkdir -p "$(dir $(JAR))"
	$(JAVA) -Xmx64m -cp "$(JVM_BUILD)/classes:$(SPARK_HOME)/jars/*" org.spankspark.JavaOptions >"$(JAR).args"
	$(JAR_TOOL) -J-Xmx128m --create --file "$(JAR)" -C $(JVM_BUILD)/classes .

jvm-test: $(JAR)
	SPARK_HOME="$(SPARK_HOME)" JAR="$(JAR)" tests/jvm/run.sh

clean: jvm-clean
jvm-clean:
	rm -rf $(JVM_BUILD) jvm/spank-spark.jar jvm/spank-spark.jar.args
# --- end of JVM component ---

# Sanitizers and fuzzing.  unit-asan: the unit tests again, built with
# AddressSanitizer and UndefinedBehaviorSanitizer (any report fails them).
# fuzz: libFuzzer harnesses tests/fuzz/fuzz_<name>.c, each run for
# FUZZ_SECONDS from its committed seeds tests/fuzz/corpus/<name>/ (new
# inputs go to tests/fuzz/bin/corpus-<name>/); a crash, leak, sanitizer
# report or broken property fails the target and keeps the input in
# tests/fuzz/bin/crash-<name>-*.  A new harness: tests/fuzz/fuzz_<name>.c,
# <name> in FUZZERS, and if it needs more than common/, its sources in
# FUZZ_SRC_<name> and libraries in FUZZ_LIBS_<name>.
SAN_CC ?= clang
SAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	     -fno-sanitize-recover=all
SAN_CFLAGS = $(WARN) $(SAN_FLAGS) $(CPPFLAGS)
ASAN_TESTS := $(patsubst tests/unit/%,tests/unit/asan/%,$(UNIT_TESTS))

# The same libraries, built with the sanitizers.
SAN_COMMON_LIB := tests/unit/asan/libcommon.a
SAN_HELPER_LIB := tests/unit/asan/libhelper.a

tests/unit/asan/obj/%.o: %.c $(wildcard common/*.h helper/*.h)
	@mkdir -p $(dir $@)
	$(SAN_CC) $(SAN_CFLAGS) -c -o $@ $<

$(SAN_COMMON_LIB): $(COMMON_SRC:%.c=tests/unit/asan/obj/%.o)
	rm -f $@
	$(AR) rcs $@ $^

$(SAN_HELPER_LIB): $(HELPER_LIB_SRC:%.c=tests/unit/asan/obj/%.o)
	rm -f $@
	$(AR) rcs $@ $^

tests/unit/asan/test_%: tests/unit/test_%.c tests/unit/tap.h $(SAN_HELPER_LIB) $(SAN_COMMON_LIB) \
		$(wildcard common/*.h helper/*.h)
	@mkdir -p tests/unit/asan
	$(SAN_CC) $(SAN_CFLAGS) -Ihelper -o $@ $< $(SAN_HELPER_LIB) $(SAN_COMMON_LIB) $(HELPER_LIBS)

unit-asan: $(ASAN_TESTS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 prove $(ASAN_TESTS)

# The unit tests that include plugin code directly.
tests/unit/test_cleanup tests/unit/asan/test_cleanup: plugin/cleanup.c \
	plugin/plugin.h
tests/unit/test_local tests/unit/asan/test_local: plugin/local.c \
	plugin/spank_options.c plugin/plugin.h
tests/unit/test_eventlog_step tests/unit/asan/test_eventlog_step: helper/eventlog_step.c helper/eventlog_step.h
tests/unit/test_os tests/unit/asan/test_os: common/os.c common/os.h
tests/unit/test_net tests/unit/asan/test_net: helper/net.c helper/net.h

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 10
FUZZ_FLAGS := -O1 -g -fno-omit-frame-pointer \
	      -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZERS := size conf_pair site opts_env props environ text proto het
# The rendezvous frame decoder (helper/proto.c).
FUZZ_SRC_proto := helper/proto.c
FUZZ_LIBS_proto := -lmunge -ljansson
FUZZ_BINS := $(FUZZERS:%=tests/fuzz/bin/fuzz_%)

tests/fuzz/bin/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(COMMON_SRC) \
		$(wildcard common/*.h)
	@mkdir -p tests/fuzz/bin
	$(FUZZ_CC) $(WARN) $(FUZZ_FLAGS) $(CPPFLAGS) -Ihelper -o $@ $< \
		$(COMMON_SRC) $(FUZZ_SRC_$*) $(FUZZ_LIBS_$*)

fuzz-%: tests/fuzz/bin/fuzz_%
	@mkdir -p tests/fuzz/bin/corpus-$*
	@echo "fuzz $*: $(FUZZ_SECONDS) s"
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	$< -max_total_time=$(FUZZ_SECONDS) -timeout=10 -print_final_stats=1 \
		-artifact_prefix=tests/fuzz/bin/crash-$*- \
		tests/fuzz/bin/corpus-$* tests/fuzz/corpus/$* \
		>tests/fuzz/bin/$*.log 2>&1 || \
		{ tail -n 40 tests/fuzz/bin/$*.log; \
		  echo "fuzz $*: FAILED (input kept as tests/fuzz/bin/crash-$*-*)"; \
		  exit 1; }
	@grep -h "stat::number_of_executed_units" tests/fuzz/bin/$*.log | \
		sed 's/^/fuzz $*: /'

fuzz: $(FUZZERS:%=fuzz-%)

.PRECIOUS: tests/fuzz/bin/fuzz_%

# Plugin, helper, the JVM component's jar (when built), the example
# configuration with the installed paths filled in, the man page, the docs.
install: all
	install -D -m 0644 $(PLUGIN) $(DESTDIR)$(SLURM_PLUGIN_DIR)/spank_spark.so
	install -D -m 0755 $(HELPER) $(DESTDIR)$(LIBEXECDIR)/spank-spark-helper
	install -D -m 0755 contrib/spank-spark-class-cache $(DESTDIR)$(LIBEXECDIR)/spank-spark-class-cache
	install -D -m 0755 $(URLS) $(DESTDIR)$(BINDIR)/spank-spark-urls
	if [ -f $(JAR) ]; then \
		install -D -m 0644 $(JAR) $(DESTDIR)$(LIBEXECDIR)/spank-spark.jar; \
		install -D -m 0644 $(JAR).args $(DESTDIR)$(LIBEXECDIR)/spank-spark.jar.args; \
	fi
	install -d $(DESTDIR)$(SYSCONFDIR)/plugstack.conf.d
	sed -e 's|@SLURM_PLUGIN_DIR@|$(SLURM_PLUGIN_DIR)|g' \
	    -e 's|@LIBEXECDIR@|$(LIBEXECDIR)|g' etc/plugstack.conf.d/spark.conf \
		>$(DESTDIR)$(SYSCONFDIR)/plugstack.conf.d/spark.conf.example
	chmod 0644 $(DESTDIR)$(SYSCONFDIR)/plugstack.conf.d/spark.conf.example
	install -D -m 0644 doc/spank-spark.8 $(DESTDIR)$(MANDIR)/man8/spank-spark.8
	install -d $(DESTDIR)$(DOCDIR)
	install -m 0644 README.md NEWS LICENSE $(DESTDIR)$(DOCDIR)/

uninstall:
	rm -f $(DESTDIR)$(SLURM_PLUGIN_DIR)/spank_spark.so \
	      $(DESTDIR)$(LIBEXECDIR)/spank-spark-helper \
	      $(DESTDIR)$(LIBEXECDIR)/spank-spark-class-cache \
	      $(DESTDIR)$(BINDIR)/spank-spark-urls \
	      $(DESTDIR)$(LIBEXECDIR)/spank-spark.jar \
	      $(DESTDIR)$(LIBEXECDIR)/spank-spark.jar.args \
	      $(DESTDIR)$(SYSCONFDIR)/plugstack.conf.d/spark.conf.example \
	      $(DESTDIR)$(MANDIR)/man8/spank-spark.8 \
	      $(DESTDIR)$(DOCDIR)/README.md $(DESTDIR)$(DOCDIR)/NEWS \
	      $(DESTDIR)$(DOCDIR)/LICENSE
	rmdir $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(DOCDIR) 2>/dev/null || true

# Packages with Debian's (make deb) or the RPM distributions' (make rpm)
# paths compiled in, each tied to the Slurm version it is built against:
# the one whose headers the build uses (SLURM_PREFIX when set), see
# contrib/slurm-version.sh.  Written to PKGDIR.
PKGDIR ?= .
deb:
	VERSION=$(VERSION) CC="$(CC)" SLURM_INCLUDES="$(filter -I%,$(CPPFLAGS))" \
		SLURM_PREFIX="$(SLURM_PREFIX)" contrib/build-deb.sh $(PKGDIR)

rpm:
	VERSION=$(VERSION) CC="$(CC)" SLURM_INCLUDES="$(filter -I%,$(CPPFLAGS))" \
		SLURM_PREFIX="$(SLURM_PREFIX)" contrib/build-rpm.sh $(PKGDIR)

# Installs into a temporary DESTDIR, checks the file list, uninstalls,
# builds the packages and checks their contents and Slurm dependency.
install-check: all
	tests/install-check.sh

# Debian 12, as root.  deps: what make and make demo need (Slurm 22.05's
# packages, munge, jansson, a JDK, one Spark); deps-check: that and what
# only the tests need (lint and fuzzing tools, Spark 3.5 and 4.3, the
# Spark Connect client, Slurm 24.11 built from source).  make check runs
# deps-check first, so a fresh machine's make deps && make check passes.
deps:
	bash contrib/install-deps.sh demo

deps-check:
	bash contrib/install-deps.sh check

lab-up: all lab-plugin
	LAB_SLURM=$(LAB_SLURM) tests/lab/lab-up

lab-down:
	tests/lab/lab-down

demo: lab-up
	tests/demo.sh

unit: $(UNIT_TESTS)
	prove $(UNIT_TESTS)

lab-test: all lab-plugin
	LAB_SLURM=$(LAB_SLURM) tests/run-lab-tests.sh

# Unit tests (also under ASan/UBSan), a time-bounded fuzz, lint,
# installation and packages, then the lab: up, tests, down (also when a
# test fails): the suite on Debian's Slurm 22.05 but its slow cases, a
# core subset on 24.11.  Warnings are errors here.  make check is what CI
# runs, kept under 30 minutes on 2 cores (prove --timer prints each lab
# file's time: 20-cluster 264 s, 50-security 188 s, 30-client 136 s,
# 40-batch 112 s on 2026-12-07); make check-full adds the slow cases: the
# site network's 64 MB shuffle and ssh recipes, the faults, elastic steps
# (join jobs, decommission: 287 s), the GPUs (114 s), heterogeneous steps
# (100 s), the start-up timeline, the event log (98 s; its drivers stopping
# at a time limit sometimes overrun stop_timeout, see 65-eventlog.t), the
# load test, memory enforced and the GPUs on 24.11, and the Spark 3.5, 4.0
# and 4.3 smoke tests.
LAB_SLOW := tests/lab/t/75-network.t tests/lab/t/85-faults.t tests/lab/t/86-faults2.t \
	tests/lab/t/87-load.t tests/lab/t/63-elastic.t tests/lab/t/66-gpus.t \
	tests/lab/t/70-hetjob.t tests/lab/t/22-timeline.t tests/lab/t/25-spark-smoke.t \
	tests/lab/t/65-eventlog.t
LAB_CHECK := $(filter-out $(LAB_SLOW),$(sort $(wildcard tests/lab/t/*.t)))
CHECK_SUBSET_24.11 := tests/lab/t/00-lab.t tests/lab/t/10-options.t \
	tests/lab/t/15-slurm-version.t
check: WERROR = -Werror
check: deps-check
	$(MAKE) --no-print-directory WERROR=-Werror all unit unit-asan fuzz lint \
		install-check jvm-test
	tests/run-lab-tests.sh $(LAB_CHECK)
	$(MAKE) --no-print-directory lab-plugin LAB_SLURM=24.11
	LAB_SLURM=24.11 tests/run-lab-tests.sh $(CHECK_SUBSET_24.11)

check-full: check
	tests/run-lab-tests.sh $(sort $(LAB_SLOW))
	LAB_SLURM=24.11 tests/run-lab-tests.sh tests/lab/t/80-memory.t tests/lab/t/66-gpus.t
	LAB_SPARK=3.5 tests/run-lab-tests.sh tests/lab/t/25-spark-smoke.t
	LAB_SPARK=4.3 tests/run-lab-tests.sh tests/lab/t/25-spark-smoke.t

bench: all
	tests/bench.sh

# From make deps to the demo's first result on a fresh machine, simulated
# in an overlay of / (this machine is left as it is).
bench-fresh:
	tests/fresh-machine.sh

# Every shell script in the tree (the sourced libraries name their shell).
SHELL_SCRIPTS = $(wildcard tests/lab/lab-* tests/*.sh tests/lab/t/*.t \
		tests/lab/*.sh tests/jvm/*.sh contrib/*.sh contrib/spank-spark-class-cache .ci/run)

# Every C file compiled with warnings as errors, whatever was built before.
lint: WERROR = -Werror
lint:
	for f in $(COMMON_SRC) $(PLUGIN_SRC) $(HELPER_SRC) $(URLS).c tests/unit/test_*.c; do \
		$(CC) $(ALL_CFLAGS) -Ihelper -c -o /dev/null $$f || exit 1; \
	done
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
		--inline-suppr --std=c11 -D_GNU_SOURCE common plugin helper user
	clang-format --dry-run --Werror common/*.[ch] plugin/*.[ch] helper/*.[ch] user/*.c tests/unit/*.[ch] \
		tests/fuzz/*.[ch] tests/tools/*.c
	shellcheck --severity=warning $(SHELL_SCRIPTS)

format:
	clang-format -i common/*.[ch] plugin/*.[ch] helper/*.[ch] user/*.c tests/unit/*.[ch] \
		tests/fuzz/*.[ch] tests/tools/*.c

clean:
	rm -f $(PLUGIN) plugin/spank_spark-*.so $(HELPER) $(URLS) $(TOOLS) $(UNIT_TESTS) $(COMMON_OBJ) \
		$(COMMON_LIB) $(HELPER_LIB_OBJ) $(HELPER_LIB) .build-config
	rm -rf tests/unit/asan tests/fuzz/bin

version:
	@echo $(VERSION)

help:
	@echo "make deps       install what make and make demo need (root, Debian 12)"
	@echo "make deps-check ...and what only make check needs (make check runs it)"
	@echo "make            build $(PLUGIN) and $(HELPER)"
	@echo "make demo       bring the lab up and run Spark jobs in both modes"
	@echo "make check      unit tests (also under ASan/UBSan), fuzz, lint, install-check, lab tests (root)"
	@echo "make check-full make check, then the slow lab cases (network, faults, elastic, GPUs, het, memory, Spark 3.5/4.3)"
	@echo "make unit / unit-asan / fuzz / lint / install-check   parts of make check"
	@echo "make bench      measurements (medians, ratios) on the lab"
	@echo "make bench-fresh  make deps && make demo timed as on a fresh machine (an overlay of /)"
	@echo "make install    PREFIX=$(PREFIX) SLURM_PLUGIN_DIR=$(SLURM_PLUGIN_DIR) DESTDIR="
	@echo "make uninstall  the same variables as make install"
	@echo "make deb        build spank-spark_$(VERSION)-1_<arch>.deb"
	@echo "make rpm        build spank-spark-$(VERSION)-1.<arch>.rpm"
	@echo "make version    print $(VERSION)"
	@echo "make lab-up / lab-down   LAB_SLURM=$(LAB_SLURM) (22.05: Debian's; 24.11: make deps builds it)"
	@echo "make SLURM_PREFIX=/opt/slurm-24.11   the plugin against another Slurm"
