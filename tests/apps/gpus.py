"""Reports the GPUs each task of a spank-spark application got, for the lab.

Runs N tasks (first argument, default 8), each sleeping S seconds (second
argument, default 2) so that tasks of one executor run at the same time,
with the step's spark.task.resource.gpu.amount (the step's default 1, or
--spark-conf).
Prints one line per task:
  task=P host=H jvm=PID gpus=A[,A] cuda=CUDA_VISIBLE_DEVICES
  step_gpus=SLURM_STEP_GPUS start=T end=T
(the executor JVM's pid names the executor; "gpus" are Spark's addresses,
the CUDA ordinals inside the executor), then the driver's view:
  conf.KEY=VALUE for the GPU settings, driver.cuda=...
"""
import os
import socket
import sys
import time

from pyspark import TaskContext
from pyspark.sql import SparkSession

tasks = int(sys.argv[1]) if len(sys.argv) > 1 else 8
pause = float(sys.argv[2]) if len(sys.argv) > 2 else 2.0

spark = SparkSession.builder.getOrCreate()
sc = spark.sparkContext
conf = sc.getConf()


def executor_jvm():
    """The pid of the java process above this Python worker."""
    pid = os.getpid()
    while pid > 1:
        try:
            with open("/proc/%d/stat" % pid) as f:
                stat = f.read()
        except OSError:
            return 0
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        if comm == "java":
            return pid
        pid = int(stat[stat.rindex(")") + 2:].split()[1])
    return 0


def one(_):
    tc = TaskContext.get()
    gpu = tc.resources().get("gpu")
    start = time.time()
    time.sleep(pause)
    end = time.time()
    yield ("task=%d host=%s jvm=%d gpus=%s cuda=%s step_gpus=%s "
           "start=%.3f end=%.3f") % (
        tc.partitionId(), socket.gethostname(), executor_jvm(),
        ",".join(gpu.addresses) if gpu else "none",
        os.environ.get("CUDA_VISIBLE_DEVICES", "unset"),
        os.environ.get("SLURM_STEP_GPUS", "unset"), start, end)


for line in sc.parallelize(range(tasks), tasks).mapPartitions(one).collect():
    print(line)
for key in ("spark.executor.resource.gpu.amount",
            "spark.task.resource.gpu.amount",
            "spark.driver.resource.gpu.amount",
            "spark.executor.instances"):
    print("conf." + key + "=" + conf.get(key, "unset"))
print("driver.cuda=" + os.environ.get("CUDA_VISIBLE_DEVICES", "unset"))
sys.stdout.flush()
spark.stop()
