"""Reports what the --spark-* options did, for the lab tests.

Prints conf.KEY=VALUE for each KEY given as an argument, the content each
executor reads from data.txt (shipped with --spark-files), and how many
executors the application got on which hosts.
"""
import socket
import sys

from pyspark import SparkFiles
from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
sc = spark.sparkContext
conf = sc.getConf()
for key in sys.argv[1:]:
    print("conf." + key + "=" + conf.get(key, "unset"))


def shipped(_):
    try:
        with open(SparkFiles.get("data.txt")) as f:
            return f.read().strip()
    except OSError:
        return "missing"


print("files=" + ",".join(sorted(set(sc.parallelize(range(8), 8).map(shipped).collect()))))
print("executor.count=" + str(sc._jsc.sc().getExecutorIds().size()))
print("hosts=" + ",".join(sorted(set(sc.parallelize(range(32), 32).map(lambda _: socket.gethostname()).collect()))))
spark.stop()
