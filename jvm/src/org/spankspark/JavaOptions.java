// SPDX-License-Identifier: GPL-2.0-or-later
package org.spankspark;

import org.apache.spark.launcher.JavaModuleOptions;

/**
 * Prints the JVM options Spark's own launcher gives every JVM it starts
 * (--add-opens ...), one per line: a java @argument file. `make jar` writes
 * it next to the jar (spank-spark.jar.args) for this very Spark, so that the
 * helper can start executor JVMs as `java @spank-spark.jar.args ...`;
 * without them Kryo and netty fail inside tasks.
 *
 * Except --add-modules=jdk.incubator.vector (Spark 4): it only lets netlib's
 * BLAS use the Vector API, which falls back to plain Java without it, and
 * it makes every JVM print "WARNING: Using incubator modules", which is
 * not the user's to act on.
 */
public final class JavaOptions {
    static final String INCUBATOR_VECTOR = "--add-modules=jdk.incubator.vector";

    private JavaOptions() {}

    public static void main(String[] args) {
        // defaultModuleOptions() (space-separated) is in Spark 3.3 and 4.x;
        // the array form only in 4.x. No option contains a space.
        for (String o : JavaModuleOptions.defaultModuleOptions().trim().split(" +")) {
            if (!o.equals(INCUBATOR_VECTOR)) {
                System.out.println(o);
            }
        }
    }
}
