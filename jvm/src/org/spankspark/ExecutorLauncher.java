// SPDX-License-Identifier: GPL-2.0-or-later
package org.spankspark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Main class of an executor JVM started by the spank-spark helper at the
 * same time as the driver. It loads the executor's classes while the driver
 * starts, reads two lines from standard input, the application id and then
 * the driver URL, waits until the driver port accepts connections (Spark's
 * backend gives up after 3 quick tries), then runs
 * CoarseGrainedExecutorBackend with both. The application id names the
 * event log in a directory other users write in: it is never on a command
 * line, where every user of the host would read it.
 *
 * Start it with Spark's JVM options (java @spank-spark.jar.args, made by
 * `make jar`): they are checked first.
 *
 * Exit status: 0 when standard input ends before a URL (the step is
 * stopping), 2 for a bad application id or URL, bad arguments or missing
 * JVM options, 3 when
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
    // No leading zeros: "010" is octal to some resolvers, decimal to others.
    private static final Pattern IPV4 = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    // As spark.slurm.appId (SlurmSchedulerBackend): 1-200 of [A-Za-z0-9._-], not starting with '.'.
    private static final Pattern APP_ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}");

    // Class names in load order, made from a real executor (jvm/preload-classes.txt).
    static final String PRELOAD_LIST = "preload-classes.txt";

    private ExecutorLauncher() {}

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        for (String a : args) {
            if (a.equals("--driver-url") || a.equals("--app-id")) {
                fail(a + " is read from standard input, not given as an argument");
            }
        }
        String id = argValue(args, "--executor-id");
        // Spark's launcher opens java.base packages to its JVMs; started by
        // hand without them, tasks would fail later with obscure errors.
        if (!java.nio.ByteBuffer.class.getModule().isOpen("java.nio", ExecutorLauncher.class.getModule())) {
            fail("started without Spark's JVM options: java @spank-spark.jar.args -cp ...");
        }

        // Load the executor's classes while the driver starts, in a thread
        // of its own so that a fast driver is never kept waiting: the
        // backend then finds them loaded, or loads the rest side by side.
        Preloader preloader = new Preloader();
        preloader.start();

        String appId = readLine(System.in);
        if (appId == null) {
            System.exit(0); // the helper closed it: the step is stopping
        }
        if (!APP_ID.matcher(appId).matches()) {
            fail("bad application id '" + EventChannel.sanitize(appId)
                    + "': want 1-200 of [A-Za-z0-9._-], not starting with '.'");
        }
        String line = readLine(System.in);
        if (line == null) {
            System.exit(0);
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
        System.err.printf("spank-spark: executor %s: driver URL after %d ms, driver port open after %d ms more;"
                + " %s; starting the executor backend%n", id, ms(t2 - t0), ms(t3 - t2), preloader.progress(t0));

        String[] full = Arrays.copyOf(args, args.length + 4);
        full[args.length] = "--driver-url";
        full[args.length + 1] = line;
        full[args.length + 2] = "--app-id";
        full[args.length + 3] = appId;
        org.apache.spark.executor.CoarseGrainedExecutorBackend.main(full);
    }

    /** Loads the listed classes without initializing them. */
    private static final class Preloader extends Thread {
        private volatile int done;
        private volatile int loaded;
        private volatile long endNs;

        Preloader() {
            super("spank-spark-preload");
            setDaemon(true);
        }

        @Override
        public void run() {
            ClassLoader cl = ExecutorLauncher.class.getClassLoader();
            try (InputStream in = ExecutorLauncher.class.getResourceAsStream(PRELOAD_LIST)) {
                if (in == null) {
                    return;
                }
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
                for (String name; (name = r.readLine()) != null; ) {
                    if (name.isEmpty() || name.startsWith("#")) {
                        continue;
                    }
                    try {
                        Class.forName(name, false, cl);
                        loaded++;
                    } catch (ClassNotFoundException | LinkageError e) {
                        // Not in this Spark version: the backend loads what it needs.
                    }
                    done++;
                }
            } catch (IOException e) {
                // A damaged jar: the backend will report it better.
            } finally {
                endNs = System.nanoTime();
            }
        }

        String progress(long t0) {
            long end = endNs;
            return end == 0 ? String.format("preloading, %d classes so far", loaded)
                    : String.format("%d of %d classes preloaded in %d ms", loaded, done, ms(end - t0));
        }
    }

    /** One line of at most MAX_LINE bytes, without its newline; null at EOF before any byte. */
    static String readLine(InputStream in) throws IOException {
        byte[] buf = new byte[MAX_LINE];
        int n = 0;
        while (true) {
            int c = in.read();
            if (c < 0) {
                return n == 0 ? null : new String(buf, 0, n, StandardCharsets.ISO_8859_1);
            }
            if (c == '\n') {
                return new String(buf, 0, n, StandardCharsets.ISO_8859_1);
            }
            if (n == MAX_LINE) {
                fail("standard input line longer than " + MAX_LINE + " bytes");
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
        // A name: labels, the last one not all digits (that is a bad IPv4).
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
