"""Runs until killed, for the lab's interruption tests: prints "started"
once its executors are busy, then keeps them busy for five minutes."""
import time

from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
sc = spark.sparkContext
print("started", flush=True)
sc.parallelize(range(2), 2).foreach(lambda _: time.sleep(300))
