// SPDX-License-Identifier: GPL-2.0-or-later
package org.spankspark;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.rpc.RpcAddress;
import org.apache.spark.scheduler.TaskSchedulerImpl;
import org.apache.spark.scheduler.cluster.CoarseGrainedSchedulerBackend;

/**
 * Spark's own coarse-grained backend with three changes: the application id
 * is the one the helper chose (executors are started with it before the
 * driver exists, and block fetches are refused on a mismatch), the driver
 * waits for the number of executors the helper starts, and the driver's
 * endpoint is reported to the helper as soon as it listens.
 * Executor requests and kills keep Spark's defaults: the helper owns the
 * executor processes and dynamic allocation is off.
 */
public class SlurmSchedulerBackend extends CoarseGrainedSchedulerBackend {
    static final String APP_ID = "spark.slurm.appId";
    static final String EXECUTORS = "spark.slurm.executors";

    private final SparkContext sc;
    private final String appId;
    private final int executors;

    public SlurmSchedulerBackend(TaskSchedulerImpl scheduler, SparkContext sc) {
        super(scheduler, sc.env().rpcEnv());
        this.sc = sc;
        SparkConf conf = sc.conf();
        this.appId = requireAppId(conf);
        this.executors = requireExecutors(conf);
    }

    private static String requireAppId(SparkConf conf) {
        if (!conf.contains(APP_ID)) {
            throw new IllegalArgumentException("spank-spark: " + APP_ID + " is not set (the helper sets it)");
        }
        String id = conf.get(APP_ID);
        // It names directories and event-log files: keep it a plain word.
        if (!id.matches("[A-Za-z0-9._-]{1,200}") || id.startsWith(".")) {
            throw new IllegalArgumentException("spank-spark: " + APP_ID + "=" + EventChannel.sanitize(id)
                    + " is not 1 to 200 of [A-Za-z0-9._-]");
        }
        return id;
    }

    private static int requireExecutors(SparkConf conf) {
        if (!conf.contains(EXECUTORS)) {
            throw new IllegalArgumentException("spank-spark: " + EXECUTORS + " is not set (the helper sets it)");
        }
        String v = conf.get(EXECUTORS).trim();
        try {
            int n = Integer.parseInt(v);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // Reported below with the value.
        }
        throw new IllegalArgumentException("spank-spark: " + EXECUTORS + "=" + EventChannel.sanitize(v)
                + " is not a whole number >= 1");
    }

    @Override
    public String applicationId() {
        return appId;
    }

    @Override
    public boolean sufficientResourcesRegistered() {
        return totalRegisteredExecutors().get() >= executors;
    }

    @Override
    public void start() {
        super.start();
        // The RPC server has listened since SparkEnv was created; the driver
        // endpoint exists from super.start(): executors may now register.
        RpcAddress a = sc.env().rpcEnv().address();
        EventChannel.send("driver", a.host(), Integer.toString(a.port()));
        // The UI is bound before the scheduler starts (SparkContext's order).
        if (sc.uiWebUrl().isDefined()) {
            EventChannel.send("ui", sc.uiWebUrl().get());
        }
    }
}
