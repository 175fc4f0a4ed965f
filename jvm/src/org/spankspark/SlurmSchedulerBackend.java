// SPDX-License-Identifier: GPL-2.0-or-later
package org.spankspark;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.rpc.RpcAddress;
import org.apache.spark.scheduler.TaskSchedulerImpl;
import org.apache.spark.scheduler.cluster.CoarseGrainedSchedulerBackend;

/**
 * Spark's own coarse-grained backend with four changes: the application id
 * is the one the helper chose (executors are started with it before the
 * driver exists, and block fetches are refused on a mismatch), the driver
 * waits for the number of executors the helper starts, the driver's
 * endpoint is reported to the helper as soon as it listens, and Spark's
 * executor requests and kills (dynamic allocation) go to the helper, which
 * owns the executor processes: "executors-wanted N" and "executor-kill ID"
 * on the event channel.
 */
public class SlurmSchedulerBackend extends CoarseGrainedSchedulerBackend {
    static final String APP_ID = "spark.slurm.appId";
    static final String EXECUTORS = "spark.slurm.executors";
    static final String DYNAMIC = "spark.dynamicAllocation.enabled";

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
        // Dynamic allocation may start with none (initialExecutors=0).
        int min = conf.getBoolean(DYNAMIC, false) ? 0 : 1;
        try {
            int n = Integer.parseInt(v);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // Reported below with the value.
        }
        throw new IllegalArgumentException("spank-spark: " + EXECUTORS + "=" + EventChannel.sanitize(v)
                + " is not a whole number >= " + min);
    }

    /**
     * Dynamic allocation wants TOTAL executors in all (every resource
     * profile: the helper has one kind of executor). The helper starts
     * what is missing within the step's share and never kills for a lower
     * total: Spark names the executors it lets go (doKillExecutors).
     */
    @Override
    public scala.concurrent.Future<Object> doRequestTotalExecutors(
            scala.collection.immutable.Map<ResourceProfile, Object> resourceProfileToTotalExecs) {
        long total = 0;
        scala.collection.Iterator<Object> it = resourceProfileToTotalExecs.values().iterator();
        while (it.hasNext()) {
            total += ((Number) it.next()).longValue();
        }
        EventChannel.send("executors-wanted", Long.toString(total));
        return scala.concurrent.Future.successful((Object) Boolean.TRUE);
    }

    /**
     * Spark lets these executors go (idle, or killed through the UI or
     * SparkContext.killExecutors): the helper of each one's node ends its
     * JVM, and the driver side does not report it as a loss. Spark 4's
     * Scala 2.13 passes an immutable Seq; Spark 3.5's 2.12 a
     * scala.collection.Seq: each Spark overrides the one it declares.
     */
    public scala.concurrent.Future<Object> doKillExecutors(scala.collection.immutable.Seq<String> executorIds) {
        return kill(executorIds.iterator());
    }

    public scala.concurrent.Future<Object> doKillExecutors(scala.collection.Seq<String> executorIds) {
        return kill(executorIds.iterator());
    }

    private static scala.concurrent.Future<Object> kill(scala.collection.Iterator<String> ids) {
        while (ids.hasNext()) {
            EventChannel.send("executor-kill", ids.next());
        }
        return scala.concurrent.Future.successful((Object) Boolean.TRUE);
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
