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
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Lets only holders of the step's UI token into the Spark UI
 * (spark.ui.filters=org.spankspark.UiAuthFilter).
 *
 * <p>Browsers send a host's cookies to every port of that host, so a cookie
 * scoped to "/" would also reach a page another user serves on another port
 * of the driver's node (issue 16, item 6). A cookie's Path is the one scope
 * a browser does honour across ports, so the UI lives under a secret path:
 *
 * <ul>
 *   <li>The helper prints the URL with ?spank-spark-token=TOKEN. That request
 *       gets a session cookie (HttpOnly, SameSite=Strict) whose value is
 *       derived from the token (HMAC-SHA256, never the token itself) and
 *       whose Path is a secret prefix, also derived from the token (128
 *       bits), and a redirect into that prefix.
 *   <li>Requests under the prefix with the cookie are forwarded by this
 *       filter to the UI's own listener, without the prefix, with a header
 *       only this JVM knows and X-Forwarded-Context set to the prefix (Spark
 *       then writes its links under the prefix; Location headers are
 *       rewritten into it).
 *   <li>Everything else is refused (403): no prefix, no cookie, the cookie
 *       at another path, the kill links.
 * </ul>
 *
 * The browser sends the cookie only to paths under the prefix, which a page
 * on another port cannot know, so what it receives there is nothing.
 * Referrer-Policy: no-referrer keeps the prefix out of Referer headers sent
 * to other pages. Without a usable token in SPANK_SPARK_UI_TOKEN every
 * request is refused (fail closed).
 */
public class UiAuthFilter implements Filter {
    static final String TOKEN_ENV = "SPANK_SPARK_UI_TOKEN";
    static final String PARAM = "spank-spark-token";
    static final String INTERNAL_HEADER = "X-Spank-Spark-Internal";
    static final int MIN_TOKEN = 32;
    /** The largest request body forwarded (the UI's kill forms are tiny). */
    static final int MAX_BODY = 64 * 1024;
    /** Request headers forwarded to the UI; the rest (Cookie too) stay out. */
    private static final Set<String> FORWARDED = Set.of("accept", "accept-language", "content-type");
    /** Response headers not copied back (hop by hop, or set here). */
    private static final Set<String> DROPPED = Set.of("connection", "keep-alive", "transfer-encoding",
            "content-length", "set-cookie", "referrer-policy", "location");

    enum Action {
        PASS, // the internal request: on to Spark
        SET_COOKIE, // the tokened URL: the cookie and a redirect into the prefix
        FORWARD, // under the prefix with the cookie: forwarded to the UI
        DENY
    }

    private byte[] token; // null: refuse everything
    private String cookieName;
    private String cookieValue;
    private String prefix; // "/spank-spark-<32 hex>", no trailing slash
    private String internal;

    public UiAuthFilter() {}

    /** For tests: a filter configured with TOKEN rather than the environment. */
    UiAuthFilter(String t) {
        configure(t);
    }

    @Override
    public void init(FilterConfig config) {
        if (!configure(System.getenv(TOKEN_ENV))) {
            System.err.println("spank-spark: " + TOKEN_ENV + " missing or unusable (at least " + MIN_TOKEN
                    + " of [A-Za-z0-9_-]): the UI refuses every request");
        }
    }

    /** Derives the session values from T; false (refuse all) when T is unusable. */
    final boolean configure(String t) {
        token = null;
        // The token travels in a URL: it must be a plain word.
        if (t == null || t.length() < MIN_TOKEN || !t.matches("[A-Za-z0-9_-]+")) {
            return false;
        }
        byte[] key = t.getBytes(StandardCharsets.US_ASCII);
        // One key, one label per use: knowing one value tells nothing of
        // the others, nor of the token.
        cookieName = "spank-spark-" + hmacHex(key, "cookie-name").substring(0, 12);
        cookieValue = hmacHex(key, "cookie-value");
        prefix = "/spank-spark-" + hmacHex(key, "path").substring(0, 32);
        internal = hmacHex(key, "internal");
        token = key;
        return true;
    }

    String cookieName() {
        return cookieName;
    }

    String cookieValue() {
        return cookieValue;
    }

    String prefix() {
        return prefix;
    }

    String internal() {
        return internal;
    }

    /**
     * What to do with a request for URI (raw path) and QUERY (raw, or null)
     * carrying COOKIES (the values of cookies named cookieName()) and the
     * internal header INTERNAL (or null).
     */
    Action decide(String uri, String query, List<String> cookies, String internalHeader) {
        if (token == null) {
            return Action.DENY;
        }
        if (internalHeader != null) {
            return same(internalHeader, internal) ? Action.PASS : Action.DENY;
        }
        String given = queryParam(query, PARAM);
        if (given != null) {
            return same(given, new String(token, StandardCharsets.US_ASCII)) ? Action.SET_COOKIE : Action.DENY;
        }
        if (uri != null && underPrefix(uri)) {
            for (String c : cookies) {
                if (same(c, cookieValue)) {
                    return Action.FORWARD;
                }
            }
        }
        return Action.DENY;
    }

    boolean underPrefix(String path) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    /** Where the tokened request for URI and QUERY is sent: into the prefix. */
    String cookieRedirect(String uri, String query) {
        String path = uri == null || uri.isEmpty() ? "/" : uri;
        String rest = withoutParam(query == null ? "" : query, PARAM);
        return (underPrefix(path) ? path : prefix + path) + (rest.isEmpty() ? "" : "?" + rest);
    }

    /**
     * A Location from the UI, as the browser must see it: a URL of the UI's
     * own listener (AUTHORITY, host:port) or an absolute path moved under the
     * prefix; anything else as it is.
     */
    String rewriteLocation(String location, String authority) {
        String path;
        try {
            URI u = new URI(location);
            if (u.isAbsolute()) {
                if (!"http".equalsIgnoreCase(u.getScheme()) || u.getRawAuthority() == null
                        || !u.getRawAuthority().equalsIgnoreCase(authority)) {
                    return location;
                }
                path = (u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath())
                        + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery())
                        + (u.getRawFragment() == null ? "" : "#" + u.getRawFragment());
            } else if (location.startsWith("/") && !location.startsWith("//")) {
                path = location;
            } else {
                return location; // relative: resolved against the prefixed URL
            }
        } catch (URISyntaxException e) {
            return location;
        }
        return underPrefix(path.split("[?#]", 2)[0]) ? path : prefix + path;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest) || !(res instanceof HttpServletResponse)) {
            throw new ServletException("spank-spark: not an HTTP request");
        }
        HttpServletRequest hreq = (HttpServletRequest) req;
        HttpServletResponse hres = (HttpServletResponse) res;
        List<String> ours = new ArrayList<>();
        Cookie[] cookies = token == null ? null : hreq.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (cookieName.equals(c.getName())) {
                    ours.add(c.getValue());
                }
            }
        }
        String uri = hreq.getRequestURI();
        String query = hreq.getQueryString();
        switch (decide(uri, query, ours, hreq.getHeader(INTERNAL_HEADER))) {
            case PASS:
                chain.doFilter(req, res);
                return;
            case SET_COOKIE:
                hres.setHeader("Referrer-Policy", "no-referrer");
                hres.setHeader("Cache-Control", "no-store");
                // Set-Cookie by hand: the servlet Cookie API has no SameSite.
                hres.addHeader("Set-Cookie", cookieName + "=" + cookieValue + "; Path=" + prefix
                        + "; HttpOnly; SameSite=Strict");
                hres.setHeader("Location", cookieRedirect(uri, query));
                hres.setStatus(HttpServletResponse.SC_FOUND);
                return;
            case FORWARD:
                hres.setHeader("Referrer-Policy", "no-referrer");
                forward(hreq, hres, uri, query);
                return;
            default:
                deny(hres);
        }
    }

    /** The request, without the prefix, to the UI's own listener; its answer back. */
    private void forward(HttpServletRequest hreq, HttpServletResponse hres, String uri, String query)
            throws IOException {
        String method = hreq.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD") && !method.equals("POST")) {
            hres.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            return;
        }
        String host = hreq.getLocalAddr();
        String authority = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + hreq.getLocalPort();
        String path = uri.substring(prefix.length());
        HttpURLConnection conn;
        try {
            URI target = new URI("http://" + authority + (path.isEmpty() ? "/" : path)
                    + (query == null ? "" : "?" + query));
            // Never through a proxy the JVM may have been given.
            conn = (HttpURLConnection) target.toURL().openConnection(Proxy.NO_PROXY);
        } catch (URISyntaxException | IllegalArgumentException e) {
            hres.sendError(HttpServletResponse.SC_BAD_REQUEST);
            return;
        }
        try {
            conn.setInstanceFollowRedirects(false);
            conn.setUseCaches(false);
            conn.setConnectTimeout(10_000);
            conn.setReadTimeout(300_000);
            conn.setRequestMethod(method);
            conn.setRequestProperty(INTERNAL_HEADER, internal);
            // Spark writes its links under this (UIUtils.uiRoot).
            conn.setRequestProperty("X-Forwarded-Context", prefix);
            for (String name : FORWARDED) {
                String v = hreq.getHeader(name);
                if (v != null) {
                    conn.setRequestProperty(name, v);
                }
            }
            if (method.equals("POST")) {
                byte[] body = hreq.getInputStream().readNBytes(MAX_BODY + 1);
                if (body.length > MAX_BODY) {
                    hres.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
                    return;
                }
                conn.setDoOutput(true);
                try (OutputStream out = conn.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = conn.getResponseCode();
            hres.setStatus(status);
            for (Map.Entry<String, List<String>> h : conn.getHeaderFields().entrySet()) {
                String name = h.getKey();
                if (name == null || DROPPED.contains(name.toLowerCase(Locale.ROOT))) {
                    continue;
                }
                for (String v : h.getValue()) {
                    hres.addHeader(name, v);
                }
            }
            String location = conn.getHeaderField("Location");
            if (location != null) {
                hres.setHeader("Location", rewriteLocation(location, authority));
            }
            InputStream in = status >= 400 ? conn.getErrorStream() : conn.getInputStream();
            if (in != null) {
                try (in) {
                    in.transferTo(hres.getOutputStream());
                }
            }
        } catch (IOException e) {
            if (!hres.isCommitted()) {
                hres.reset();
                hres.setHeader("Referrer-Policy", "no-referrer");
                hres.sendError(HttpServletResponse.SC_BAD_GATEWAY);
            }
        }
    }

    @Override
    public void destroy() {}

    private static boolean same(String candidate, String want) {
        return candidate != null
                && MessageDigest.isEqual(
                        want.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
    }

    private static void deny(HttpServletResponse res) throws IOException {
        res.setStatus(HttpServletResponse.SC_FORBIDDEN);
        res.setHeader("Referrer-Policy", "no-referrer");
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

    private static String hmacHex(byte[] key, String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            StringBuilder r = new StringBuilder();
            for (byte x : mac.doFinal(label.getBytes(StandardCharsets.US_ASCII))) {
                r.append(String.format("%02x", x & 0xff));
            }
            return r.toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
