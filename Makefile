# spank-spark: a SPANK plugin and its helper that run Apache Spark
# applications as Slurm job steps.  `make help` lists the targets.

PREFIX ?= /usr/local
DESTDIR ?=
LIBEXECDIR ?= $(PREFIX)/libexec/spank-spark
SLURM_PLUGIN_DIR ?= $(shell pkg-config --variable=libdir slurm 2>/dev/null || echo /usr/lib/x86_64-linux-gnu)/slurm-wlm
SYSCONFDIR ?= /etc/slurm

CC ?= cc
CFLAGS ?= -O2 -g
WARN := -std=c11 -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-nonliteral
HARDEN := -fstack-protector-strong -D_FORTIFY_SOURCE=2 -fPIC
CPPFLAGS += -D_GNU_SOURCE -Icommon \
	    -DSS_DEFAULT_HELPER='"$(LIBEXECDIR)/spank-spark-helper"'
ALL_CFLAGS = $(WARN) $(HARDEN) $(CFLAGS) $(CPPFLAGS)
LDHARDEN := -Wl,-z,relro,-z,now

# Pure code shared by plugin, helper and unit tests (no Slurm symbols),
# built once into a static library of position-independent objects.
COMMON_SRC := $(wildcard common/*.c)
COMMON_OBJ := $(COMMON_SRC:.c=.o)
COMMON_LIB := common/libcommon.a
PLUGIN_SRC := $(wildcard plugin/*.c)
HELPER_SRC := $(wildcard helper/*.c)
UNIT_TESTS := $(patsubst %.c,%,$(wildcard tests/unit/test_*.c))

PLUGIN := plugin/spank_spark.so
HELPER := helper/spank-spark-helper

.PHONY: all install uninstall deps lab-up lab-down demo check unit lab-test \
	bench lint format clean help deb unit-asan fuzz

all: $(PLUGIN) $(HELPER)

# The .so exports only the SPANK symbols (plugin/spank_spark.map).
common/%.o: common/%.c $(wildcard common/*.h)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(COMMON_LIB): $(COMMON_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(PLUGIN): $(PLUGIN_SRC) $(wildcard plugin/*.h common/*.h) $(COMMON_LIB) plugin/spank_spark.map
	$(CC) $(ALL_CFLAGS) -shared $(LDHARDEN) \
		-Wl,--version-script=plugin/spank_spark.map \
		-o $@ $(PLUGIN_SRC) $(COMMON_LIB)

$(HELPER): $(HELPER_SRC) $(wildcard helper/*.h common/*.h) $(COMMON_LIB)
	$(CC) $(ALL_CFLAGS) -fPIE -pie $(LDHARDEN) -o $@ $(HELPER_SRC) \
		$(COMMON_LIB) -lmunge -ljansson

tests/unit/test_%: tests/unit/test_%.c tests/unit/tap.h $(COMMON_LIB)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(COMMON_LIB)

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

tests/unit/asan/test_%: tests/unit/test_%.c tests/unit/tap.h $(COMMON_SRC) \
		$(wildcard common/*.h)
	@mkdir -p tests/unit/asan
	$(SAN_CC) $(SAN_CFLAGS) -o $@ $< $(COMMON_SRC)

unit-asan: $(ASAN_TESTS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 prove $(ASAN_TESTS)

# The unit tests that include plugin code directly.
tests/unit/test_cleanup tests/unit/asan/test_cleanup: plugin/cleanup.c \
	plugin/plugin.h
tests/unit/test_local tests/unit/asan/test_local: plugin/local.c \
	plugin/spank_options.c plugin/plugin.h

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 20
FUZZ_FLAGS := -O1 -g -fno-omit-frame-pointer \
	      -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZERS := size conf_pair site opts_env props environ text
# The rendezvous frame decoder, once tests/fuzz/fuzz_proto.c exists (from
# fuzz_proto.c.example): add proto to FUZZERS.
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

install: all
	install -D -m 0755 $(PLUGIN) $(DESTDIR)$(SLURM_PLUGIN_DIR)/spank_spark.so
	install -D -m 0755 $(HELPER) $(DESTDIR)$(LIBEXECDIR)/spank-spark-helper
	install -D -m 0644 etc/plugstack.conf.d/spark.conf \
		$(DESTDIR)$(SYSCONFDIR)/plugstack.conf.d/spark.conf.example

uninstall:
	rm -f $(DESTDIR)$(SLURM_PLUGIN_DIR)/spank_spark.so \
	      $(DESTDIR)$(LIBEXECDIR)/spank-spark-helper \
	      $(DESTDIR)$(SYSCONFDIR)/plugstack.conf.d/spark.conf.example

# A .deb of plugin and helper, with Debian's paths compiled in.
deb:
	contrib/build-deb.sh

# Debian 12, as root: Slurm, munge, jansson, a JDK, Spark (pyspark).
deps:
	bash contrib/install-deps.sh

lab-up: all
	tests/lab/lab-up

lab-down:
	tests/lab/lab-down

demo: lab-up
	tests/demo.sh

unit: $(UNIT_TESTS)
	prove $(UNIT_TESTS)

lab-test: all
	tests/run-lab-tests.sh

# Unit tests, then the lab: up, tests, down (also when a test fails).
check: all unit unit-asan fuzz lint
	tests/run-lab-tests.sh

bench: all
	tests/bench.sh

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
		--inline-suppr --std=c11 -D_GNU_SOURCE common plugin helper
	clang-format --dry-run --Werror common/*.[ch] plugin/*.[ch] helper/*.[ch] tests/unit/*.[ch] \
		tests/fuzz/*.[ch]

format:
	clang-format -i common/*.[ch] plugin/*.[ch] helper/*.[ch] tests/unit/*.[ch] \
		tests/fuzz/*.[ch]

clean:
	rm -f $(PLUGIN) $(HELPER) $(UNIT_TESTS) $(COMMON_OBJ) $(COMMON_LIB)
	rm -rf tests/unit/asan tests/fuzz/bin

help:
	@echo "make deps       install build and lab dependencies (root, Debian 12)"
	@echo "make            build $(PLUGIN) and $(HELPER)"
	@echo "make demo       bring the lab up and run Spark jobs in both modes"
	@echo "make check      unit tests (also under ASan/UBSan), fuzz, lint, lab tests (root)"
	@echo "make bench      measurements (ratios) on the lab"
	@echo "make install    PREFIX=$(PREFIX) SLURM_PLUGIN_DIR=$(SLURM_PLUGIN_DIR)"
	@echo "make deb        build spank-spark_<version>_<arch>.deb"
	@echo "make lab-up / lab-down"
