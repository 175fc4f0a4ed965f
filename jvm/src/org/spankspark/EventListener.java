// SPDX-License-Identifier: GPL-2.0-or-later
package org.spankspark;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;
import org.apache.spark.scheduler.SparkListenerApplicationStart;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

/** Forwards the application's life cycle to the helper (EventChannel). */
public class EventListener extends SparkListener {
    // The helper's start-up timeline wants the first of each, not every task.
    private boolean taskStarted, taskEnded;

    @Override
    public void onApplicationStart(SparkListenerApplicationStart e) {
        EventChannel.send("app-start", e.appId().isDefined() ? e.appId().get() : "");
    }

    @Override
    public void onExecutorAdded(SparkListenerExecutorAdded e) {
        EventChannel.send("executor-added", e.executorId(), e.executorInfo().executorHost(),
                Integer.toString(e.executorInfo().totalCores()));
    }

    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved e) {
        EventChannel.sendText("executor-removed", e.reason(), e.executorId());
    }

    @Override
    public void onTaskStart(SparkListenerTaskStart e) {
        if (!taskStarted) {
            taskStarted = true;
            EventChannel.send("task-start");
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
        if (!taskEnded) {
            taskEnded = true;
            EventChannel.send("task-end");
        }
    }

    @Override
    public void onApplicationEnd(SparkListenerApplicationEnd e) {
        EventChannel.send("app-end");
    }
}
