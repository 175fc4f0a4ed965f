# SPDX-License-Identifier: GPL-2.0-or-later
"""A Spark Connect client for elastic steps: elastic_client.py URL_FILE [PARTS [SECONDS]].

Connects to the URL in URL_FILE (never a token on the command line) and runs
one query of PARTS partitions (default 48), each sleeping SECONDS (default 4)
and reporting the host its executor runs on (SPANK_SPARK_HOST), so that
Spark's dynamic allocation wants more executors than one node holds.
Prints key=value lines: sum (of the ids, to check the answer), tasks and
hosts (the distinct hosts, sorted).  On an error prints error=... and exits 1.
"""
import sys

from pyspark.sql import SparkSession

with open(sys.argv[1]) as f:
    url = f.read().strip()
parts = int(sys.argv[2]) if len(sys.argv) > 2 else 48
secs = int(sys.argv[3]) if len(sys.argv) > 3 else 4

try:
    spark = SparkSession.builder.remote(url).getOrCreate()
    # One row a partition: each task sleeps once.
    df = spark.range(0, parts, 1, parts).selectExpr(
        "id",
        "spark_partition_id() AS p",
        f"reflect('java.lang.Thread', 'sleep', CAST({secs * 1000} AS BIGINT)) AS s",
        "reflect('java.lang.System', 'getenv', 'SPANK_SPARK_HOST') AS h",
    )
    # Grouped by the sleep's (null) result too, so that it is not pruned.
    rows = df.groupBy("p", "h", "s").agg({"id": "sum"}).collect()
    print(f"sum={sum(r[3] for r in rows)}", flush=True)
    print(f"tasks={len(rows)}", flush=True)
    print("hosts=" + ",".join(sorted({r.h for r in rows})), flush=True)
    spark.stop()
except Exception as e:
    print("error=" + " ".join(str(e).split())[:400], flush=True)
    sys.exit(1)
