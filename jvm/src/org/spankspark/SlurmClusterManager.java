// SPDX-License-Identifier: GPL-2.0-or-later
package org.spankspark;

import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.ExternalClusterManager;
import org.apache.spark.scheduler.SchedulerBackend;
import org.apache.spark.scheduler.TaskScheduler;
import org.apache.spark.scheduler.TaskSchedulerImpl;

/**
 * Master URL spark-slurm://...: the driver is its own scheduler (Spark's
 * CoarseGrainedSchedulerBackend), with no Standalone Master or Worker. The
 * spank-spark helper starts the executors itself (ExecutorLauncher).
 * Found by SparkContext through META-INF/services.
 */
public class SlurmClusterManager implements ExternalClusterManager {
    static final String URL_PREFIX = "spark-slurm://";

    @Override
    public boolean canCreate(String masterURL) {
        return masterURL != null && masterURL.startsWith(URL_PREFIX);
    }

    @Override
    public TaskScheduler createTaskScheduler(SparkContext sc, String masterURL) {
        return new TaskSchedulerImpl(sc);
    }

    @Override
    public SchedulerBackend createSchedulerBackend(SparkContext sc, String masterURL, TaskScheduler scheduler) {
        SlurmSchedulerBackend backend = new SlurmSchedulerBackend((TaskSchedulerImpl) scheduler, sc);
        // Registered before the scheduler starts, so no event is missed.
        sc.addSparkListener(new EventListener());
        return backend;
    }

    @Override
    public void initialize(TaskScheduler scheduler, SchedulerBackend backend) {
        ((TaskSchedulerImpl) scheduler).initialize(backend);
    }
}
