// SPDX-License-Identifier: GPL-2.0-or-later
package org.spankspark;

import java.util.List;

/**
 * The UI filter's decisions without a server (tests/jvm/run.sh compiles and
 * runs it, TAP on standard output): who passes, who gets the cookie, what a
 * cookie is worth outside the secret prefix, where redirects go.
 */
public final class UiAuthFilterTest {
    private static int n;
    private static int failed;

    private static void ok(boolean pass, String name) {
        n++;
        if (!pass) {
            failed++;
        }
        System.out.println((pass ? "ok " : "not ok ") + n + " - " + name);
    }

    private static void is(Object got, Object want, String name) {
        ok(want.equals(got), name + (want.equals(got) ? "" : " (got " + got + ", want " + want + ")"));
    }

    public static void main(String[] args) {
        String token = "0123456789abcdef0123456789abcdef0123456789abcdef";
        UiAuthFilter f = new UiAuthFilter(token);
        String p = f.prefix();
        String c = f.cookieValue();
        List<String> none = List.of();
        List<String> mine = List.of(c);

        // What the session values are.
        ok(p.matches("/spank-spark-[0-9a-f]{32}"), "the prefix is /spank-spark- and 128 bits of hex (" + p + ")");
        ok(!c.contains(token) && !p.contains(token) && !f.cookieName().contains(token)
                        && !f.internal().contains(token),
                "neither the cookie, its name, the prefix nor the internal value holds the token");
        ok(!c.equals(f.internal()) && !p.substring(13).equals(c.substring(0, 32)),
                "cookie value, prefix and internal value are distinct");
        UiAuthFilter other = new UiAuthFilter(token.replace('0', '1'));
        ok(!other.prefix().equals(p) && !other.cookieValue().equals(c) && !other.cookieName().equals(f.cookieName()),
                "another step's token: another prefix, cookie and cookie name");
        is(new UiAuthFilter(token).prefix(), p, "the same token: the same prefix (every context's filter agrees)");

        // The tokened URL.
        is(f.decide("/", "spank-spark-token=" + token, none, null), UiAuthFilter.Action.SET_COOKIE,
                "the tokened URL gets the cookie");
        is(f.cookieRedirect("/", "spank-spark-token=" + token), p + "/", "...and a redirect into the prefix");
        is(f.cookieRedirect("/jobs/", "a=1&spank-spark-token=" + token), p + "/jobs/?a=1",
                "...keeping the path and the other parameters");
        is(f.cookieRedirect(p + "/stages/", "spank-spark-token=" + token), p + "/stages/",
                "...a prefixed path as it is");
        is(f.decide("/", "spank-spark-token=" + token + "0", none, null), UiAuthFilter.Action.DENY,
                "a wrong token: refused");
        is(f.decide("/", "spank-spark-token=", none, null), UiAuthFilter.Action.DENY, "an empty token: refused");

        // The cookie.
        is(f.decide(p + "/jobs/", null, mine, null), UiAuthFilter.Action.FORWARD,
                "the cookie under the prefix: forwarded to the UI");
        is(f.decide(p, null, mine, null), UiAuthFilter.Action.FORWARD, "...the prefix itself too");
        is(f.decide("/jobs/", null, mine, null), UiAuthFilter.Action.DENY,
                "the cookie without the prefix (a replay elsewhere): refused");
        is(f.decide("/jobs/job/kill/", "id=0", mine, null), UiAuthFilter.Action.DENY,
                "the cookie at the kill link without the prefix: refused");
        is(f.decide(p + "x/jobs/", null, mine, null), UiAuthFilter.Action.DENY,
                "the cookie under a longer name that starts like the prefix: refused");
        is(f.decide(p + "/jobs/", null, none, null), UiAuthFilter.Action.DENY,
                "the prefix without the cookie: refused");
        is(f.decide(p + "/jobs/job/kill/", "id=0", none, null), UiAuthFilter.Action.DENY,
                "the prefixed kill link without the cookie: refused");
        is(f.decide(p + "/jobs/", null, List.of(token), null), UiAuthFilter.Action.DENY,
                "the token as the cookie's value (the old cookie): refused");
        is(f.decide(p + "/jobs/", null, List.of(other.cookieValue()), null), UiAuthFilter.Action.DENY,
                "another step's cookie: refused");
        is(f.decide(p + "/jobs/", null, List.of("x", c), null), UiAuthFilter.Action.FORWARD,
                "a stale cookie of the same name beside the right one: forwarded");

        // The filter's own forwarded request.
        is(f.decide("/jobs/", null, none, f.internal()), UiAuthFilter.Action.PASS,
                "the internal header with its value: on to Spark");
        is(f.decide("/jobs/", null, none, f.internal() + "0"), UiAuthFilter.Action.DENY,
                "the internal header with another value: refused");
        is(f.decide("/jobs/", null, mine, c), UiAuthFilter.Action.DENY,
                "the cookie's value as the internal header: refused");
        is(f.decide("/jobs/", null, none, ""), UiAuthFilter.Action.DENY, "an empty internal header: refused");

        // Redirects from the UI.
        String self = "10.0.0.1:4040";
        is(f.rewriteLocation("http://10.0.0.1:4040/jobs/", self), p + "/jobs/",
                "the UI's absolute redirect: into the prefix, as a path");
        is(f.rewriteLocation("http://10.0.0.1:4040/jobs/?id=1#x", self), p + "/jobs/?id=1#x",
                "...keeping query and fragment");
        is(f.rewriteLocation("/stages/", self), p + "/stages/", "an absolute path: into the prefix");
        is(f.rewriteLocation(p + "/stages/", self), p + "/stages/", "a prefixed path: as it is");
        is(f.rewriteLocation("http://example.org/x", self), "http://example.org/x", "another host: as it is");
        is(f.rewriteLocation("//10.0.0.1:4040/x", self), "//10.0.0.1:4040/x", "a scheme-relative URL: as it is");
        is(f.rewriteLocation("stages/", self), "stages/", "a relative path: as it is");

        // No usable token: nothing passes.
        UiAuthFilter closed = new UiAuthFilter("short");
        is(closed.decide("/", "spank-spark-token=short", none, null), UiAuthFilter.Action.DENY,
                "an unusable token: the tokened URL refused");
        is(closed.decide("/jobs/", null, none, "anything"), UiAuthFilter.Action.DENY,
                "...and any internal header");
        is(new UiAuthFilter(null).decide("/", null, none, null), UiAuthFilter.Action.DENY,
                "no token at all: refused");

        System.out.println("1.." + n);
        System.exit(failed > 0 ? 1 : 0);
    }
}
