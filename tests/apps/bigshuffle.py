"""Shuffles MIB MiB of random bytes (argv[1], default 64), which no codec
can shrink, for the lab's full-scratch test; prints the record count."""
import os
import sys

from pyspark.sql import SparkSession

MIB = int(sys.argv[1]) if len(sys.argv) > 1 else 64
spark = SparkSession.builder.getOrCreate()
sc = spark.sparkContext
rows = sc.parallelize(range(MIB), 8).flatMap(lambda i: [(i * 1024 + j, os.urandom(1024)) for j in range(1024)])
print("records=%d" % rows.repartition(8).count())
spark.stop()
