# SPDX-License-Identifier: GPL-2.0-or-later
"""A shuffle of MB megabytes (argv[1], default 64) that no codec shrinks, for
the network tests: 16 partitions of 1 KiB pseudo-random records (seeded by
the partition, so every pass makes the same data), their CRC-32 sum once
without a shuffle and once after repartition(16), which moves every record.
Prints mb=, records=, before= and after= (equal when the shuffle kept every
record intact)."""
import random
import sys
import zlib

from pyspark.sql import SparkSession

MB = int(sys.argv[1]) if len(sys.argv) > 1 else 64
PARTS = 16
PER_PART = MB * 1024 // PARTS  # 1 KiB records


def records(index, _):
    rng = random.Random(index)
    for _ in range(PER_PART):
        yield rng.randbytes(1024)


spark = SparkSession.builder.getOrCreate()
sc = spark.sparkContext
data = sc.parallelize(range(PARTS), PARTS).mapPartitionsWithIndex(records)
before = data.map(zlib.crc32).sum()
after, count = (
    data.repartition(PARTS)
    .map(lambda r: (zlib.crc32(r), 1))
    .reduce(lambda a, b: (a[0] + b[0], a[1] + b[1]))
)
print("mb=%d records=%d before=%d after=%d" % (MB, count, before, after))
spark.stop()
