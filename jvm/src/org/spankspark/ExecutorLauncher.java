// SPDX-License-Identifier: GPL-2.0-or-later
package org.spankspark;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Main class of an executor JVM started by the spank-spark helper at the
 * same time as the driver. It loads the executor's classes while the driver
 * starts, reads the driver URL from standard input, waits until the driver
 * port accepts connections (Spark's backend gives up after 3 quick tries),
 * then runs CoarseGrainedExecutorBackend with that URL.
 *
 * Start it with Spark's JVM options (java @spank-spark.jar.args, made by
 * `make jar`): they are checked first.
 *
 * Exit status: 0 when standard input ends before a URL (the step is
 * stopping), 2 for a bad URL, bad arguments or missing JVM options, 3 when
 * the driver does not listen within 60 s; otherwise whatever the executor
 * backend exits with.
 */
public final class ExecutorLauncher {
    static final String URL_PREFIX = "spark://CoarseGrainedScheduler@";
    static final long WAIT_MS = 60_000;
    static final int MAX_LINE = 512;

    // host: dotted IPv4 or an RFC 1123 host name; port: 1 to 5 digits.
    private static final Pattern URL = Pattern.compile(
            Pattern.quote(URL_PREFIX) + "([A-Za-z0-9.-]{1,253}):([0-9]{1,5})");
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    // What CoarseGrainedExecutorBackend needs right away; a missing name
    // (another Spark version) costs nothing but its preload.
    private static final String[] PRELOAD = {
        "org.apache.spark.executor.CoarseGrainedExecutorBackend",
        "org.apache.spark.executor.CoarseGrainedExecutorBackend$",
        "org.apache.spark.executor.CoarseGrainedExecutorBackend$Arguments",
        "org.apache.spark.executor.Executor",
        "org.apache.spark.executor.ExecutorBackend",
        "org.apache.spark.SparkConf",
        "org.apache.spark.SparkEnv",
        "org.apache.spark.SparkEnv$",
        "org.apache.spark.SecurityManager",
        "org.apache.spark.util.Utils$",
        "org.apache.spark.internal.config.package$",
        "org.apache.spark.rpc.RpcEnv$",
        "org.apache.spark.rpc.netty.NettyRpcEnv",
        "org.apache.spark.rpc.netty.NettyRpcEnvFactory",
        "org.apache.spark.rpc.netty.Dispatcher",
        "org.apache.spark.rpc.netty.Inbox",
        "org.apache.spark.rpc.netty.Outbox",
        "org.apache.spark.network.TransportContext",
        "org.apache.spark.network.client.TransportClientFactory",
        "org.apache.spark.network.crypto.AuthClientBootstrap",
        "org.apache.spark.network.crypto.AuthEngine",
        "org.apache.spark.network.sasl.SaslClientBootstrap",
        "org.apache.spark.network.netty.NettyBlockTransferService",
        "org.apache.spark.network.util.NettyUtils",
        "io.netty.channel.nio.NioEventLoopGroup",
        "io.netty.channel.epoll.Epoll",
        "io.netty.buffer.PooledByteBufAllocator",
        "io.netty.bootstrap.Bootstrap",
        "io.netty.handler.codec.MessageToMessageDecoder",
        "org.apache.spark.scheduler.cluster.CoarseGrainedClusterMessages$",
        "org.apache.spark.storage.BlockManager",
        "org.apache.spark.storage.BlockManagerMaster",
        "org.apache.spark.storage.DiskBlockManager",
        "org.apache.spark.memory.UnifiedMemoryManager",
        "org.apache.spark.serializer.JavaSerializer",
        "org.apache.spark.serializer.KryoSerializer",
        "org.apache.spark.shuffle.sort.SortShuffleManager",
        "org.apache.spark.broadcast.TorrentBroadcast",
        "org.apache.spark.deploy.SparkHadoopUtil$",
        "org.apache.spark.metrics.MetricsSystem",
        "org.apache.spark.api.python.PythonRunner",
        "org.apache.spark.api.python.PythonWorkerFactory",
        "scala.concurrent.impl.Promise",
        "com.fasterxml.jackson.databind.ObjectMapper",
        "org.apache.logging.log4j.core.LoggerContext",
    };

    private ExecutorLauncher() {}

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        for (String a : args) {
            if (a.equals("--driver-url")) {
                fail("--driver-url is read from standard input, not given as an argument");
            }
        }
        String id = argValue(args, "--executor-id");
        // Spark's launcher opens java.base packages to its JVMs; started by
        // hand without them, tasks would fail later with obscure errors.
        if (!java.nio.ByteBuffer.class.getModule().isOpen("java.nio", ExecutorLauncher.class.getModule())) {
            fail("started without Spark's JVM options: java @spank-spark.jar.args -cp ...");
        }

        // Load (and link) classes while the driver starts. Static
        // initializers are left to the backend, in the order it expects:
        // running them here could set up logging or SparkEnv too early.
        int loaded = preload();
        long t1 = System.nanoTime();

        String line = readLine(System.in);
        if (line == null) {
            System.exit(0); // the helper closed it: the step is stopping
        }
        long t2 = System.nanoTime();
        Matcher m = URL.matcher(line);
        if (!m.matches() || !validHost(m.group(1)) || !validPort(m.group(2))) {
            fail("bad driver URL '" + EventChannel.sanitize(line)
                    + "': want spark://CoarseGrainedScheduler@HOST:PORT (IPv4 or host name, port 1-65535)");
        }
        String host = m.group(1);
        int port = Integer.parseInt(m.group(2));

        if (!waitForPort(host, port)) {
            System.err.println("spank-spark: executor " + id + ": driver " + host + ":" + port
                    + " not listening after " + WAIT_MS / 1000 + " s");
            System.exit(3);
        }
        long t3 = System.nanoTime();
        System.err.printf("spank-spark: executor %s: %d classes preloaded in %d ms, driver URL after %d ms more,"
                + " driver port open after %d ms more; starting the executor backend%n",
                id, loaded, ms(t1 - t0), ms(t2 - t1), ms(t3 - t2));

        String[] full = Arrays.copyOf(args, args.length + 2);
        full[args.length] = "--driver-url";
        full[args.length + 1] = line;
        org.apache.spark.executor.CoarseGrainedExecutorBackend.main(full);
    }

    private static int preload() {
        ClassLoader cl = ExecutorLauncher.class.getClassLoader();
        int n = 0;
        for (String name : PRELOAD) {
            try {
                Class.forName(name, false, cl);
                n++;
            } catch (ClassNotFoundException | LinkageError e) {
                // Not in this Spark version: the backend loads what it needs.
            }
        }
        return n;
    }

    /** One line of at most MAX_LINE bytes, without its newline; null at EOF before any byte. */
    static String readLine(InputStream in) throws IOException {
        byte[] buf = new byte[MAX_LINE];
        int n = 0;
        while (true) {
            // Byte by byte: nothing after the newline is consumed.
            int c = in.read();
            if (c < 0) {
                return n == 0 ? null : new String(buf, 0, n, StandardCharsets.ISO_8859_1);
            }
            if (c == '\n') {
                return new String(buf, 0, n, StandardCharsets.ISO_8859_1);
            }
            if (n == MAX_LINE) {
                fail("driver URL line longer than " + MAX_LINE + " bytes");
            }
            buf[n++] = (byte) c;
        }
    }

    static boolean validHost(String h) {
        if (IPV4.matcher(h).matches()) {
            for (String part : h.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return false;
                }
            }
            return true;
        }
        // A name: labels, not all-numeric last label (that would be a bad IPv4).
        String[] labels = h.split("\\.", -1);
        for (String l : labels) {
            if (!LABEL.matcher(l).matches()) {
                return false;
            }
        }
        return !labels[labels.length - 1].matches("[0-9]+");
    }

    static boolean validPort(String p) {
        int v = Integer.parseInt(p);
        return v >= 1 && v <= 65535 && !p.startsWith("0");
    }

    /** Connects and closes until the driver listens; false after WAIT_MS. */
    private static boolean waitForPort(String host, int port) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_MS * 1_000_000L;
        long pause = 20;
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 2000);
                return true;
            } catch (IOException e) {
                // Not listening yet (or the name does not resolve yet).
            }
            if (System.nanoTime() + pause * 1_000_000L > deadline) {
                return false;
            }
            Thread.sleep(pause);
            pause = Math.min(pause * 2, 500);
        }
    }

    private static String argValue(String[] args, String name) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return EventChannel.sanitize(args[i + 1]);
            }
        }
        return "?";
    }

    private static long ms(long ns) {
        return ns / 1_000_000L;
    }

    private static void fail(String msg) {
        System.err.println("spank-spark: executor launcher: " + msg);
        System.exit(2);
    }
}
