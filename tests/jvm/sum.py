"""A tiny PySpark application for tests/jvm/run.sh and its timing.

Prints `sum=<n>` (a plain reduce) and `shuffle=<n>` (the same numbers through
a shuffle, so that executors fetch blocks from each other), both 499500.
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
sys.stdout.flush()
if len(sys.argv) > 1:
    deadline = time.time() + 120
    while not os.path.exists(sys.argv[1]) and time.time() < deadline:
        time.sleep(0.1)
sc.stop()
