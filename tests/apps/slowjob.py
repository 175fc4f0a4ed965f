"""Sixty one-second tasks, for the lab's lost-executor test: prints
"started", then the sum of 0..59 (1770) once every task has run."""
import time

from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
sc = spark.sparkContext
print("started", flush=True)
total = sc.parallelize(range(60), 60).map(lambda x: (time.sleep(1), x)[1]).sum()
print("result=%d" % total, flush=True)
spark.stop()
