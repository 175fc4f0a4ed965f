// SPDX-License-Identifier: GPL-2.0-or-later
package org.spankspark;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * One-line events to the spank-spark helper over an inherited pipe.
 *
 * SPANK_SPARK_EVENT_PATH names a FIFO the helper made in the step's 0700
 * directory and holds open: it reaches the driver JVM whatever starts it
 * (pyspark's shell starts spark-submit from Python, which closes inherited
 * descriptors). SPANK_SPARK_EVENT_FD=n instead names an inherited pipe's
 * write end, opened again as /proc/self/fd/n because Java cannot wrap a
 * bare descriptor number. Without either every event is dropped, so the
 * component also runs alone.
 * Each line is one write() of less than PIPE_BUF bytes, hence atomic even
 * with several threads (listener bus, scheduler) writing.
 */
final class EventChannel {
    static final String FD_ENV = "SPANK_SPARK_EVENT_FD";
    static final String PATH_ENV = "SPANK_SPARK_EVENT_PATH";
    static final int MAX_FIELD = 200;
    static final int MAX_LINE = 511; // bytes with the newline: < PIPE_BUF's 512

    private static FileOutputStream out;
    private static boolean opened;

    private EventChannel() {}

    /** Sends "word field field ...": fields are sanitized, never split. */
    static void send(String word, String... fields) {
        sendLine(word, null, fields);
    }

    /**
     * Sends "word field ... text": TEXT, last, is free text for a person to
     * read (spaces kept, see sanitizeText); the helper takes the rest of the
     * line as it.
     */
    static void sendText(String word, String text, String... fields) {
        sendLine(word, sanitizeText(text), fields);
    }

    private static synchronized void sendLine(String word, String text, String... fields) {
        FileOutputStream o = open();
        if (o == null) {
            return;
        }
        StringBuilder line = new StringBuilder(word);
        for (String f : fields) {
            line.append(' ').append(sanitize(f));
        }
        if (text != null) {
            line.append(' ').append(text);
        }
        // Three fields of 200 could pass 511 bytes: cut the last one so the
        // write stays atomic (ids and counts come first and are short).
        if (line.length() > MAX_LINE - 1) {
            line.setLength(MAX_LINE - 1);
        }
        line.append('\n');
        byte[] bytes = line.toString().getBytes(StandardCharsets.US_ASCII);
        try {
            o.write(bytes);
            o.flush();
        } catch (IOException e) {
            // The helper is gone (EPIPE) or the fd is unusable: stop trying,
            // never let it reach Spark.
            System.err.println("spank-spark: event channel closed: " + e.getMessage());
            close();
        }
    }

    /**
     * Keeps [A-Za-z0-9._:/@=,+-], turns every other byte (of the UTF-8 form)
     * into '_', truncates to 200 bytes; an empty field becomes "_" so that
     * the number of fields never changes.
     */
    static String sanitize(String s) {
        return clean(s, false);
    }

    /**
     * Free text on one line: printable ASCII kept (spaces too), anything
     * else (controls, newlines, other bytes of the UTF-8 form) becomes '?';
     * truncated to MAX_FIELD bytes; empty becomes "_".
     */
    static String sanitizeText(String s) {
        return clean(s, true);
    }

    private static String clean(String s, boolean text) {
        if (s == null || s.isEmpty()) {
            return "_";
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(b.length, MAX_FIELD);
        StringBuilder r = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            char c = (char) (b[i] & 0xff);
            if (text) {
                r.append(c >= 0x20 && c < 0x7f ? c : '?');
            } else {
                boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
                        || (c >= '0' && c <= '9') || "._:/@=,+-".indexOf(c) >= 0;
                r.append(ok ? c : '_');
            }
        }
        return r.toString();
    }

    private static FileOutputStream open() {
        if (opened) {
            return out;
        }
        opened = true;
        String path = System.getenv(PATH_ENV);
        if (path != null && !path.isEmpty()) {
            try {
                out = new FileOutputStream(path, true);
            } catch (IOException e) {
                System.err.println("spank-spark: cannot open event channel " + sanitize(path) + ": " + e.getMessage());
            }
            return out;
        }
        String fd = System.getenv(FD_ENV);
        if (fd == null || fd.isEmpty()) {
            return null;
        }
        if (!fd.matches("[0-9]{1,9}")) {
            System.err.println("spank-spark: ignoring " + FD_ENV + "=" + sanitize(fd) + ": not a descriptor number");
            return null;
        }
        try {
            out = new FileOutputStream("/proc/self/fd/" + fd, true);
        } catch (IOException e) {
            System.err.println("spank-spark: cannot open event channel fd " + fd + ": " + e.getMessage());
        }
        return out;
    }

    private static void close() {
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException e) {
            // Nothing more to do: the channel is disabled either way.
        }
        out = null;
    }
}
