// SPDX-License-Identifier: GPL-2.0-or-later
package org.spankspark;

// Written for jakarta.servlet (Spark 4); the Makefile derives the
// javax.servlet variant for Spark 3 with sed. Keep these imports one per line.
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Lets only holders of the step's UI token into the Spark UI
 * (spark.ui.filters=org.spankspark.UiAuthFilter). The helper prints the UI
 * URL with ?spank-spark-token=TOKEN; that request gets the token as an
 * HttpOnly, SameSite=Strict cookie and a redirect to the bare URL; later
 * requests pass with the cookie. Everything else, including the kill links,
 * gets 403. Without a usable token in SPANK_SPARK_UI_TOKEN every request is
 * refused (fail closed).
 */
public class UiAuthFilter implements Filter {
    static final String TOKEN_ENV = "SPANK_SPARK_UI_TOKEN";
    static final String PARAM = "spank-spark-token";
    static final int MIN_TOKEN = 32;

    private byte[] token; // null: refuse everything
    private String cookieName;

    @Override
    public void init(FilterConfig config) {
        String t = System.getenv(TOKEN_ENV);
        // The token travels in a cookie and a URL: it must be a plain word.
        if (t == null || t.length() < MIN_TOKEN || !t.matches("[A-Za-z0-9_-]+")) {
            System.err.println("spank-spark: " + TOKEN_ENV + " missing or unusable (at least " + MIN_TOKEN
                    + " of [A-Za-z0-9_-]): the UI refuses every request");
            return;
        }
        token = t.getBytes(StandardCharsets.US_ASCII);
        // Per-token name: two steps' UIs on one host keep their own cookies.
        cookieName = "spank-spark-" + sha256Hex(token).substring(0, 12);
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest) || !(res instanceof HttpServletResponse)) {
            throw new ServletException("spank-spark: not an HTTP request");
        }
        HttpServletRequest hreq = (HttpServletRequest) req;
        HttpServletResponse hres = (HttpServletResponse) res;
        if (token == null) {
            deny(hres);
            return;
        }
        String query = hreq.getQueryString();
        String given = queryParam(query, PARAM);
        if (given != null) {
            if (!matches(given)) {
                deny(hres);
                return;
            }
            // Set-Cookie by hand: the servlet Cookie API has no SameSite.
            hres.addHeader("Set-Cookie", cookieName + "=" + new String(token, StandardCharsets.US_ASCII)
                    + "; Path=/; HttpOnly; SameSite=Strict");
            String rest = withoutParam(query, PARAM);
            hres.setHeader("Location", hreq.getRequestURI() + (rest.isEmpty() ? "" : "?" + rest));
            hres.setStatus(HttpServletResponse.SC_FOUND);
            return;
        }
        Cookie[] cookies = hreq.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (cookieName.equals(c.getName()) && matches(c.getValue())) {
                    chain.doFilter(req, res);
                    return;
                }
            }
        }
        deny(hres);
    }

    @Override
    public void destroy() {}

    private boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
    }

    private static void deny(HttpServletResponse res) throws IOException {
        res.setStatus(HttpServletResponse.SC_FORBIDDEN);
        res.setContentType("text/plain; charset=us-ascii");
        res.getWriter().write("403 forbidden: this Spark UI belongs to a Slurm step; open the URL"
                + " spank-spark printed for it\n");
    }

    /** The decoded value of the first name=value pair called name, or null. */
    static String queryParam(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            if (k.equals(name)) {
                String v = eq < 0 ? "" : pair.substring(eq + 1);
                try {
                    return URLDecoder.decode(v, StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return ""; // malformed %-escape: never matches
                }
            }
        }
        return null;
    }

    /** The query string with every name=value pair called name removed. */
    static String withoutParam(String query, String name) {
        StringBuilder r = new StringBuilder();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            if (pair.isEmpty() || k.equals(name)) {
                continue;
            }
            if (r.length() > 0) {
                r.append('&');
            }
            r.append(pair);
        }
        return r.toString();
    }

    private static String sha256Hex(byte[] b) {
        try {
            StringBuilder r = new StringBuilder();
            for (byte x : MessageDigest.getInstance("SHA-256").digest(b)) {
                r.append(String.format("%02x", x & 0xff));
            }
            return r.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
