"""For make bench: the first small job of first.py, its result printed,
then the application holds (the driver sleeps, the executors idle) so that
the CPU its JVMs used up to the first result can be read."""
import time

from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
print("result=" + str(spark.sparkContext.parallelize(range(100), 4).sum()), flush=True)
time.sleep(300)
