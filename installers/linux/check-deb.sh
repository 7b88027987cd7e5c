#!/usr/bin/env bash
# Checks a built .deb without installing it: unpacks it (dpkg-deb -x) and verifies that the bundled
# launcher runs `disklens info --json` on a real qcow2 (made by qemu-img), that the desktop entry offers
# the four image MIME types and passes the clicked files (%F), that the icons exist, and that the
# maintainer scripts put `disklens` (the launcher script, on the bundled runtime) on the PATH.   Usage: installers/linux/check-deb.sh target/installer/*.deb
set -euo pipefail
deb=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "check-deb: $*" >&2; exit 1; }

dpkg-deb -x "$deb" "$work/root"
dpkg-deb -e "$deb" "$work/control"
app="$work/root/opt/disklens"

[ -x "$app/bin/disklens" ] || fail "no launcher at /opt/disklens/bin/disklens"
qemu-img create -q -f qcow2 "$work/probe.qcow2" 1G
"$app/bin/disklens" info --json "$work/probe.qcow2" > "$work/info.json"
grep -q '"format": "qcow2"' "$work/info.json" || fail "launcher did not report qcow2: $(cat "$work/info.json")"
grep -q '"virtual-size": 1073741824' "$work/info.json" || fail "wrong virtual size: $(cat "$work/info.json")"

desktop=$(ls "$app"/lib/*.desktop)
grep -q '^Exec=.*%F' "$desktop" || fail "desktop entry's Exec lacks %F"
for mime in application/x-qemu-disk application/x-vmdk-disk application/x-raw-disk-image application/x-cd-image; do
    grep -q "^MimeType=.*$mime;" "$desktop" || fail "desktop entry lacks $mime"
done
for size in 16 24 32 48 64 128 256; do
    [ -s "$app/lib/icons/disklens-$size.png" ] || fail "icon disklens-$size.png missing"
done
icon=$(sed -n 's/^Icon=//p' "$desktop")
[ -s "$work/root$icon" ] || fail "desktop entry's icon $icon missing"
grep -q 'ln -sf /opt/disklens/lib/app/disklens /usr/bin/disklens' "$work/control/postinst" || fail "postinst does not put disklens on the PATH"
# The PATH command is the launcher script beside the jar, on the bundled runtime: the same answer, through a
# link as /usr/bin/disklens is (its start-up cache kept out of the user's own).
[ -x "$app/lib/app/disklens" ] || fail "no launcher script at /opt/disklens/lib/app/disklens"
ln -s "$app/lib/app/disklens" "$work/disklens-on-path"
XDG_CACHE_HOME="$work/cache" DISKLENS_JAVA= JAVA_HOME= "$work/disklens-on-path" info --json "$work/probe.qcow2" > "$work/info-script.json"
cmp -s "$work/info.json" "$work/info-script.json" || fail "the PATH command answers differently: $(cat "$work/info-script.json")"
grep -q "^+ $app/lib/app/../runtime/bin/java " <(XDG_CACHE_HOME="$work/cache" DISKLENS_JAVA= JAVA_HOME= sh -x "$work/disklens-on-path" --version 2>&1) \
    || fail "the PATH command does not run the bundled runtime"
grep -q '/usr/share/applications/disklens.desktop' "$work/control/postinst" || fail "postinst does not install the desktop entry"
if grep -q 'xdg-mime default' "$work/control/postinst"; then fail "postinst makes DiskLens a default handler"; fi
echo "check-deb: $(basename "$deb") is sound (launcher, desktop entry, MIME types, icons, PATH)"
