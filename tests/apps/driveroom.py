"""Brings back more rows than the driver's heap holds, for the lab's
driver OutOfMemoryError test: driveroom.py ROWS collects ROWS rows of 100
bytes.  They compress to little on their way (the task results fit), and
the driver's JVM decodes every row in the collecting thread before any
reaches Python: the error comes there, not in a thread of Spark's."""
import sys

from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
print("started", flush=True)
rows = (
    spark.range(0, int(sys.argv[1]), numPartitions=4)
    .selectExpr("repeat('x', 100) AS s")
    .collect()
)
print("rows=%d" % len(rows), flush=True)
spark.stop()
