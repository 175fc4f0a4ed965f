"""Word count for the lab tests: prints "WORD COUNT" lines, sorted by word.

The splitting lives in wcutil.py, shipped to the executors with
--spark-py-files: the count only works if that option took effect.
"""
import sys

from pyspark.sql import SparkSession

import wcutil

spark = SparkSession.builder.getOrCreate()
sc = spark.sparkContext
counts = (
    sc.textFile(sys.argv[1], 8)
    .flatMap(wcutil.words)
    .map(lambda w: (w, 1))
    .reduceByKey(lambda a, b: a + b)
    .collect()
)
for word, n in sorted(counts):
    print(word, n)
spark.stop()
