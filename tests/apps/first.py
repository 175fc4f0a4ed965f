"""The trivial application of the benchmark: one small job, one result."""
from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
print("result=" + str(spark.sparkContext.parallelize(range(100), 4).sum()))
spark.stop()
