#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make install-check: what a site admin gets.  Installs into a temporary
# DESTDIR and compares the file list and modes, checks the example
# configuration, the helper's --version and the man page, uninstalls, then
# builds the .deb (and the .rpm when rpmbuild is there) and checks their
# contents and their dependency on the Slurm the build used.  TAP output.
#   tests/install-check.sh          (from make install-check; needs make all)
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
make=${MAKE:-make}
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1)) failed=$((failed + 1))
	echo "not ok $n - $1"
	[ $# -lt 2 ] || printf '# %s\n' "${@:2}"
}
check() { # check DESCRIPTION COMMAND...: ok when COMMAND succeeds
	local d=$1 out
	shift
	if out=$("$@" 2>&1); then ok "$d"; else not_ok "$d" "$out"; fi
}

version=$($make -s --no-print-directory version)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dest=$tmp/root
plugindir=/usr/lib/spank-spark-test/slurm

if ! out=$($make -s --no-print-directory install DESTDIR="$dest" PREFIX=/usr \
	SLURM_PLUGIN_DIR=$plugindir 2>&1); then
	not_ok "make install DESTDIR=... PREFIX=/usr" "$out"
	echo "1..$n"
	exit 1
fi
ok "make install DESTDIR=... PREFIX=/usr"

# mode path, one per line, sorted: exactly what make install puts there.
expected="0644 /etc/slurm/plugstack.conf.d/spark.conf.example
0644 $plugindir/spank_spark.so
0755 /usr/bin/spank-spark-urls
0755 /usr/libexec/spank-spark/spank-spark-class-cache
0755 /usr/libexec/spank-spark/spank-spark-helper
0644 /usr/share/doc/spank-spark/LICENSE
0644 /usr/share/doc/spank-spark/NEWS
0644 /usr/share/doc/spank-spark/README.md
0644 /usr/share/man/man8/spank-spark.8"
if [ -f jvm/spank-spark.jar ]; then
	expected+="
0644 /usr/libexec/spank-spark/spank-spark.jar
0644 /usr/libexec/spank-spark/spank-spark.jar.args"
fi
expected=$(sort -k2 <<<"$expected")
got=$(cd "$dest" && find . -type f -printf '%m %P\n' | sed 's|^\([0-7]*\) |000\1 /|; s|^0*\([0-7]\{4\}\) |\1 |' | sort -k2)
if [ "$got" = "$expected" ]; then
	ok "installed files and modes are exactly the expected list"
else
	not_ok "installed files and modes are exactly the expected list" \
		"diff expected got:" "$(diff <(echo "$expected") <(echo "$got"))"
fi
if [ -z "$(find "$dest" -type l -o -type f -perm /022)" ]; then
	ok "nothing installed is group/other-writable or a symbolic link"
else
	not_ok "nothing installed is group/other-writable or a symbolic link"
fi

example=$dest/etc/slurm/plugstack.conf.d/spark.conf.example
check "example configuration: plugin line with the installed plugin path" \
	grep -q "^required $plugindir/spank_spark.so " "$example"
check "example configuration: helper and jar at the installed paths" \
	grep -q '^#   helper=/usr/libexec/spank-spark/spank-spark-helper$' "$example"
if grep -q '@[A-Z_]*@' "$example"; then
	not_ok "example configuration: no @PLACEHOLDER@ left" "$(grep '@[A-Z_]*@' "$example")"
else
	ok "example configuration: no @PLACEHOLDER@ left"
fi
# Every key of common/site_config.c's table is documented in the example
# and in the man page, the one reference (README.md points to it).
keys=$(sed -n 's/^ *{"\([a-z_]*\)", KEY_.*/\1/p' common/site_config.c)
[ -n "$keys" ] || not_ok "site keys found in common/site_config.c"
for k in $keys jar; do
	miss=
	grep -q "^# $k=" "$example" || miss+=" example"
	grep -q "^\.B[IR] $k=" doc/spank-spark.8 || miss+=" man page"
	if [ -z "$miss" ]; then ok "site key $k documented"; else not_ok "site key $k documented" "missing in:$miss"; fi
done
# Every option of common/options.c's table is in the man page.
opts=$(grep -o '{"spark-[a-z-]*"' common/options.c | tr -d '{"')
[ -n "$opts" ] || not_ok "options found in common/options.c"
for o in $opts; do
	check "option --$o in the man page" grep -q -- "^\.B[IR] \\\\-\\\\-${o//-/\\\\-}" doc/spank-spark.8
done

out=$("$dest/usr/libexec/spank-spark/spank-spark-helper" --version 2>&1)
rc=$?
if [ "$rc" -eq 0 ] && [ "$out" = "spank-spark-helper $version" ]; then
	ok "spank-spark-helper --version prints $version"
else
	not_ok "spank-spark-helper --version prints $version" "exit $rc, said: $out"
fi
if command -v man >/dev/null; then
	warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l \
		"$dest/usr/share/man/man8/spank-spark.8" 2>&1 >/dev/null)
	if [ -z "$warnings" ]; then ok "man page renders without warnings"; else not_ok "man page renders without warnings" "$warnings"; fi
else
	echo "# man not installed: man page not rendered"
fi

check "make uninstall" "$make" -s --no-print-directory uninstall DESTDIR="$dest" PREFIX=/usr \
	SLURM_PLUGIN_DIR=$plugindir
left=$(find "$dest" -type f)
if [ -z "$left" ]; then ok "make uninstall leaves no file behind"; else not_ok "make uninstall leaves no file behind" "$left"; fi

# The packages.
slurm=$(contrib/slurm-version.sh)
if deb=$($make -s --no-print-directory deb PKGDIR="$tmp" 2>"$tmp/deb.err" | tail -n 1) && [ -f "$deb" ]; then
	ok "make deb: $(basename "$deb")"
	list=$(dpkg-deb -c "$deb")
	for f in "./usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/slurm-wlm/spank_spark.so" \
		./usr/libexec/spank-spark/spank-spark-helper \
		./usr/libexec/spank-spark/spank-spark-class-cache \
		./usr/bin/spank-spark-urls \
		./usr/share/man/man8/spank-spark.8.gz \
		./etc/slurm/plugstack.conf.d/spark.conf.example \
		./usr/share/doc/spank-spark/copyright; do
		if grep -q " $f\$" <<<"$list"; then ok ".deb has $f"; else not_ok ".deb has $f" "$list"; fi
	done
	dep=$(dpkg-deb -f "$deb" Depends)
	# Exactly the Debian build of Slurm whose headers were used, or (Slurm
	# built from source) that upstream version.
	if grep -Eq "slurm-wlm-basic-plugins \((= ([0-9]+:)?${slurm}[-+~.]|>= ${slurm}\))" <<<"$dep"; then
		ok ".deb depends on the Slurm it was built against ($slurm)"
	else
		not_ok ".deb depends on the Slurm it was built against ($slurm)" "Depends: $dep"
	fi
	check ".deb version is $version-1" test "$(dpkg-deb -f "$deb" Version)" = "$version-1"
else
	not_ok "make deb" "$(cat "$tmp/deb.err")"
fi
if command -v rpmbuild >/dev/null; then
	if rpmf=$($make -s --no-print-directory rpm PKGDIR="$tmp" 2>"$tmp/rpm.err" | tail -n 1) && [ -f "$rpmf" ]; then
		ok "make rpm: $(basename "$rpmf")"
		list=$(rpm -qlp "$rpmf" 2>/dev/null)
		for f in /usr/lib64/slurm/spank_spark.so \
			/usr/libexec/spank-spark/spank-spark-helper \
			/usr/bin/spank-spark-urls \
			/usr/share/man/man8/spank-spark.8 \
			/etc/slurm/plugstack.conf.d/spark.conf.example; do
			if grep -q "^$f" <<<"$list"; then ok ".rpm has $f"; else not_ok ".rpm has $f" "$list"; fi
		done
		check ".rpm requires slurm = $slurm" grep -qx "slurm = $slurm" <(rpm -qp --requires "$rpmf" 2>/dev/null)
	else
		not_ok "make rpm" "$(cat "$tmp/rpm.err")"
	fi
else
	echo "# rpmbuild not installed (make deps installs it): .rpm not checked"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
