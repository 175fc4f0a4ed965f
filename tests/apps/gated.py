"""Waits at a gate, for the lab's tests of what other users can do to a
running step: prints "started" once the SparkContext is up (its event log
open), waits until the file named by the first argument exists (at most
two minutes, else exits 3), then prints the sum of 0..99 (4950) computed
by the executors."""
import os
import sys
import time

from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
sc = spark.sparkContext
print("started", flush=True)
deadline = time.monotonic() + 120
while not os.path.exists(sys.argv[1]):
    if time.monotonic() > deadline:
        print("the gate never opened", flush=True)
        spark.stop()
        sys.exit(3)
    time.sleep(0.1)
print("result=%d" % sc.parallelize(range(100), 8).sum(), flush=True)
spark.stop()
