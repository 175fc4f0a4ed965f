"""The shuffle of the benchmark (make bench, encryption on versus off):
groupByKey over 2 million pairs (or argv[1]) in 16 partitions, so that every pair
crosses the shuffle (no map-side combining), then a checksum."""
import sys

from pyspark.sql import SparkSession

PAIRS = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
KEYS = 10_007

spark = SparkSession.builder.getOrCreate()
sc = spark.sparkContext
pairs = sc.parallelize(range(PAIRS), 16).map(lambda i: (i % KEYS, i))
sums = pairs.groupByKey(16).mapValues(sum)
keys, total = sums.map(lambda kv: (1, kv[1])).reduce(lambda a, b: (a[0] + b[0], a[1] + b[1]))
print("checksum=%d keys=%d" % (total, keys))
spark.stop()
