/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_jvm_cause.c - the telling line of a JVM's output.
 */
#include "tap.h"
#include "jvm_cause.h"

#include <string.h>

#define ALL                                                                    \
	((1U << SS_CAUSE_START) | (1U << SS_CAUSE_HEAP) | (1U << SS_CAUSE_DISK))

static enum ss_jvm_cause cause(const char *s, unsigned want, char *out,
			       size_t n)
{
	return ss_jvm_cause(s, strlen(s), want, out, n);
}

int main(void)
{
	char line[256];

	is_int(cause("WARNING: something\nUnrecognized option: -XX:Bogus\n"
		     "Error: Could not create the Java Virtual Machine.\n",
		     ALL, line, sizeof(line)),
	       SS_CAUSE_START, "a bad JVM option: a start failure");
	is_str(line, "Unrecognized option: -XX:Bogus",
	       "...quoting the JVM's own first error line");
	is_int(cause("Unrecognized VM option 'Bogus'\r\nError: Could not "
		     "create the Java Virtual Machine.\r\n",
		     ALL, line, sizeof(line)),
	       SS_CAUSE_START, "a bad -XX option");
	is_str(line, "Unrecognized VM option 'Bogus'",
	       "...without the carriage return");
	is_int(cause("25/12/07 ERROR Executor: Exception in task 0.0\n"
		     "java.lang.OutOfMemoryError: Java heap space\n\tat x\n",
		     ALL, line, sizeof(line)),
	       SS_CAUSE_HEAP, "an OutOfMemoryError");
	is_str(line, "java.lang.OutOfMemoryError: Java heap space",
	       "...its line");
	is_int(cause("ERROR DiskBlockObjectWriter: x\njava.io.IOException: No "
		     "space left on device\n",
		     ALL, line, sizeof(line)),
	       SS_CAUSE_DISK, "a full scratch directory");
	is_int(cause("java.io.IOException: No space left on device\n",
		     1U << SS_CAUSE_START, line, sizeof(line)),
	       SS_CAUSE_NONE, "only the kinds asked for");
	is_int(cause("  Unrecognized option: -x\n", ALL, line, sizeof(line)),
	       SS_CAUSE_NONE, "start markers only at a line's start");
	is_int(cause("all fine\nno error here", ALL, line, sizeof(line)),
	       SS_CAUSE_NONE, "nothing telling: none");
	is_int(cause("Unrecognized option: -\x1b[31mred\x07\n", ALL, line,
		     sizeof(line)),
	       SS_CAUSE_START, "a line with control characters");
	is_str(line, "Unrecognized option: -[31mred",
	       "...reaches the terminal without them");
	is_int(cause("Unrecognized option: -XX:VeryLong", ALL, line, 16),
	       SS_CAUSE_START, "a long line without an end");
	is_str(line, "Unrecognized op", "...is cut to the buffer");

	is_int(cause("Error occurred during initialization of VM\nInitial heap "
		     "size set to a larger value than the maximum heap size\n",
		     ALL, line, sizeof(line)),
	       SS_CAUSE_START, "a VM that cannot initialise (-Xms above -Xmx)");
	is_str(line,
	       "Error occurred during initialization of VM: Initial heap size "
	       "set to a larger value than the maximum heap size",
	       "...with the reason HotSpot gives on the next line");
	is_int(cause("Error occurred during initialization of VM", ALL, line,
		     sizeof(line)),
	       SS_CAUSE_START, "...also without a next line");
	is_str(line, "Error occurred during initialization of VM",
	       "...then that line alone");
	is_int(cause("Error occurred during initialization of VM\nwhy\n", ALL,
		     line, 46),
	       SS_CAUSE_START, "...and a small buffer");
	is_str(line, "Error occurred during initialization of VM: w",
	       "...cuts the reason");
	is_int(cause("Invalid thread stack size: -Xss1zz\nError: Could not "
		     "create the Java Virtual Machine.\n",
		     ALL, line, sizeof(line)),
	       SS_CAUSE_START, "a bad -Xss");
	is_str(line, "Invalid thread stack size: -Xss1zz", "...its line");

	/* The driver's own OutOfMemoryError, as its standard error shows it,
	 * not an executor's quoted in a line about a lost task. */
#define OOM(s) ss_driver_oom_line(s, strlen(s))
	ok(OOM(": java.lang.OutOfMemoryError: Java heap space"),
	   "PySpark's Py4J error line is the driver's");
	ok(OOM("Exception in thread \"main\" java.lang.OutOfMemoryError: "
	       "Java heap space"),
	   "a Java application's uncaught error is the driver's");
	ok(OOM("Exception in thread \"task-result-getter-0\" "
	       "java.lang.OutOfMemoryError: GC overhead limit exceeded"),
	   "...in any of its threads");
	ok(OOM("java.lang.OutOfMemoryError: Java heap space"),
	   "the error alone at a line's start");
	ok(!OOM("12:00:01 WARN TaskSetManager: Lost task 0.0 in stage 0.0 "
		"(TID 0) (10.0.0.2 executor 1): java.lang.OutOfMemoryError: "
		"Java heap space"),
	   "an executor's error in a lost task's line is not");
	ok(!OOM("py4j.protocol.Py4JJavaError: ... most recent failure: Lost "
		"task 0.3 (executor 2): java.lang.OutOfMemoryError"),
	   "...nor in the job's failure");
	ok(!OOM("Exception in thread \"main\""),
	   "a thread's name alone is not");
	ok(!OOM("Exception in thread \"main"), "...nor an unended one");
	ok(!OOM(""), "an empty line is not");
	ok(!OOM(": java.lang.OutOfMemory"), "a cut-off name is not");
#undef OOM
	return done_testing();
}
