"""Goes past the step's memory on purpose, for the memory-limit lab tests.

memhog.py executor MIB: each task's Python worker fills MIB MiB.
memhog.py driver MIB: the driver's Python fills MIB MiB after a first job.
"""
import sys

from pyspark.sql import SparkSession

where, mib = sys.argv[1], int(sys.argv[2])
spark = SparkSession.builder.getOrCreate()
sc = spark.sparkContext


def fill(_):
    # bytes filled with ones: every page is really touched.
    block = b"\x01" * (mib << 20)
    return len(block)


if where == "executor":
    print("filled=" + str(sc.parallelize(range(2), 2).map(fill).sum()))
else:
    print("first=" + str(sc.parallelize(range(100), 4).sum()))
    sys.stdout.flush()
    print("filled=" + str(fill(0)))
spark.stop()
