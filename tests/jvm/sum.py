"""A tiny PySpark application for tests/jvm/run.sh and its timing.

Prints `sum=<n>` (a plain reduce) and `shuffle=<n>` (the same numbers through
a shuffle, so that executors fetch blocks from each other), both 499500.
With SUM_ASK_EXECUTORS=1 it then asks the cluster manager for one more
executor and to kill executor 2 (SparkContext.requestExecutors and
killExecutor, as dynamic allocation does) and prints `asked=` and
`killed=` with Spark's answers.
With a file name as argument it then waits (at most 120 s) until that file
exists before stopping, so that the test can look at the running UI.
"""
import os
import sys
import time
from operator import add

from pyspark import SparkContext

sc = SparkContext.getOrCreate()
rdd = sc.parallelize(range(1000), 4)
print("sum=%d" % rdd.sum())
print("shuffle=%d" % rdd.map(lambda x: (x % 4, x)).reduceByKey(add, 4).values().sum())
if os.environ.get("SUM_ASK_EXECUTORS") == "1":
    jsc = sc._jsc.sc()
    print("asked=%s" % str(jsc.requestExecutors(1)).lower())
    print("killed=%s" % str(jsc.killExecutor("2")).lower())
sys.stdout.flush()
if len(sys.argv) > 1:
    deadline = time.time() + 120
    while not os.path.exists(sys.argv[1]) and time.time() < deadline:
        time.sleep(0.1)
sc.stop()
