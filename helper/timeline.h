/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * timeline.h - where a step's start-up seconds go.
 *
 * srun's plugin notes when srun started (SLURM_SPANK_SPARK_T0, epoch
 * milliseconds, plugin/spank_spark.c); every helper marks its milestones
 * (helper up, rendezvous complete, JVMs started, SparkContext up, each
 * executor registered, first task launched and finished) with their time
 * since then, as "spank-spark: timeline +1.23s WHAT": on srun's stderr with
 * --spark-verbose, always in the helper's log.  make bench takes the median
 * of each WHAT.  The lab's hosts share one clock; a site's are kept in step
 * by NTP, so a node's figures are good to its clock's offset.
 */
#ifndef SPANK_SPARK_TIMELINE_H
#define SPANK_SPARK_TIMELINE_H

/* The variable srun's plugin sets, and the helper reads. */
#define SS_T0_ENV "SLURM_SPANK_SPARK_T0"

/* Read SLURM_SPANK_SPARK_T0; without it (a helper not started by srun)
 * the timeline starts now. */
void timeline_init(void);
/* One milestone, now. */
void timeline(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
