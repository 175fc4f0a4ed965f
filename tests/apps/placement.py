"""Reports where a spank-spark application ran, for the lab tests.

Prints one `key=value` line each: the driver's host name, the sorted host
names of the executors that ran tasks, selected Spark settings, then exits
with the status given as the first argument (default 0).
"""
import socket
import sys

from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
sc = spark.sparkContext
conf = sc.getConf()

# Enough tasks that every executor gets some.
hosts = sc.parallelize(range(64), 16).map(lambda _: socket.gethostname()).distinct().collect()

print("driver=" + socket.gethostname())
print("executors=" + ",".join(sorted(hosts)))
print("authenticate=" + conf.get("spark.authenticate", "unset"))
print("master=" + sc.master)
for key in sys.argv[2:]:
    print("conf." + key + "=" + conf.get(key, "unset"))
sys.stdout.flush()
spark.stop()
sys.exit(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
