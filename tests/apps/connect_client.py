# SPDX-License-Identifier: GPL-2.0-or-later
"""A Spark Connect client: connect_client.py [URL_FILE].

Connects to the URL in URL_FILE, or to $SPARK_REMOTE without one (never a
token on the command line), runs spark.range(1000).count() and asks each
partition which host ran it.  Prints key=value lines; on a refusal prints
error=... and exits 1.
"""
import os
import sys

from pyspark.sql import SparkSession

if len(sys.argv) > 1:
    with open(sys.argv[1]) as f:
        url = f.read().strip()
else:
    url = os.environ["SPARK_REMOTE"]

try:
    spark = SparkSession.builder.remote(url).getOrCreate()
    print(f"count={spark.range(1000).count()}", flush=True)
    # Each executor's helper sets SPANK_SPARK_HOST: read it in the task.
    rows = (
        spark.range(0, 1000, 1, 8)
        .selectExpr("reflect('java.lang.System', 'getenv', 'SPANK_SPARK_HOST') AS h")
        .distinct()
        .collect()
    )
    print("hosts=" + ",".join(sorted(r.h for r in rows)), flush=True)
    spark.stop()
except Exception as e:  # the refusal is what the test looks for
    print("error=" + " ".join(str(e).split())[:400], flush=True)
    sys.exit(1)
