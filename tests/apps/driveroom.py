"""Brings back more rows than the driver's heap holds, for the lab's
driver OutOfMemoryError test: driveroom.py ROWS collects ROWS rows (each
a Spark row object in the driver's JVM before any reaches Python)."""
import sys

from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
print("started", flush=True)
rows = spark.range(0, int(sys.argv[1]), numPartitions=4).collect()
print("rows=%d" % len(rows), flush=True)
spark.stop()
