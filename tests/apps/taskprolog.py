"""Reports what Slurm's own task setup left in the environment, for the lab
tests: the lab's TaskProlog sets SPANK_SPARK_LAB_TASKPROLOG=1 and a TMPDIR
per node (also as SPANK_SPARK_LAB_TMPDIR: the helper gives Spark a TMPDIR
of its own), slurmstepd creates that TMPDIR and applies the limits srun
propagated (the core file size here: JVMs raise their open-files limit).  Prints `key=value` lines for the driver and, gathered from
executor-side Python tasks, for the executors (sorted distinct values).
"""
import os
import resource
import socket

from pyspark.sql import SparkSession


def report(_):
    tmp = os.environ.get("SPANK_SPARK_LAB_TMPDIR", "unset")
    return (
        socket.gethostname(),
        os.environ.get("SPANK_SPARK_LAB_TASKPROLOG", "unset"),
        os.path.basename(tmp) if os.path.isdir(tmp) else "missing:" + tmp,
        resource.getrlimit(resource.RLIMIT_CORE)[0],
    )


spark = SparkSession.builder.getOrCreate()
sc = spark.sparkContext
rows = sc.parallelize(range(64), 16).map(report).distinct().collect()
me = report(None)

print("driver=" + me[0])
print("driver.taskprolog=" + me[1])
print("driver.tmpdir=" + me[2])
print("driver.core=%d" % me[3])
print("executors=" + ",".join(sorted({r[0] for r in rows})))
print("executors.taskprolog=" + ",".join(sorted({r[1] for r in rows})))
print("executors.tmpdir=" + ",".join(sorted({r[2] for r in rows})))
print("executors.core=" + ",".join(sorted({str(r[3]) for r in rows})))
spark.stop()
