#!/usr/bin/env bash
# Checks a built .deb without installing it: unpacks it (dpkg-deb -x), runs check-app.sh on its files (bundled
# runtime = the modules jdeps finds + the CDS archive; every verb through the PATH command on real images; desktop
# entry, MIME types, icons, AppStream metadata; man page; completion; the window under Xvfb), checks the native
# launcher answers the same as the PATH command, and that the maintainer scripts put `disklens` on the PATH, the
# desktop entry and the /usr/share files in place (and take them away), never as a default handler. Prints the
# package's size; fails over 35 MiB.   Usage: installers/linux/check-deb.sh target/installer/*.deb
set -euo pipefail
deb=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "check-deb: $*" >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)

dpkg-deb -x "$deb" "$work/root"
dpkg-deb -e "$deb" "$work/control"
mkdir "$work/check"
"$here/check-app.sh" "$work/root" "$work/check"
app="$work/root/opt/disklens"

[ -x "$app/bin/disklens" ] || fail "no launcher at /opt/disklens/bin/disklens"
XDG_CACHE_HOME="$work/cache" "$app/bin/disklens" info --json "$work/check/disk.qcow2" > "$work/native.json"
XDG_CACHE_HOME="$work/cache" DISKLENS_JAVA= JAVA_HOME= "$work/check/disklens" info --json "$work/check/disk.qcow2" > "$work/script.json"
cmp -s "$work/native.json" "$work/script.json" || fail "the native launcher answers differently: $(cat "$work/native.json")"

postinst="$work/control/postinst"
prerm="$work/control/prerm"
grep -q 'ln -sf /opt/disklens/lib/app/disklens /usr/bin/disklens' "$postinst" || fail "postinst does not put disklens on the PATH"
grep -q '/usr/share/applications/disklens.desktop' "$postinst" || fail "postinst does not install the desktop entry"
grep -q 'cp "/opt/disklens/lib/share/$file" "/usr/share/$file"' "$postinst" || fail "postinst does not install lib/share"
grep -q 'rm -f "/usr/share/$file"' "$prerm" || fail "prerm does not remove the /usr/share files"
if grep -q 'xdg-mime default' "$postinst"; then fail "postinst makes DiskLens a default handler"; fi

size=$(stat -c %s "$deb")
[ "$size" -lt $((35 * 1024 * 1024)) ] || fail "$(basename "$deb") is $((size / 1024 / 1024)) MiB, over 35 MiB"
echo "check-deb: $(basename "$deb") is sound ($((size / 1024)) KiB; runtime: $(sed -n 's/^MODULES="\(.*\)"/\1/p' "$app/lib/runtime/release"))"
