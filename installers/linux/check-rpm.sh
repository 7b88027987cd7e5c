#!/usr/bin/env bash
# Checks a built .rpm as check-deb.sh checks the .deb, without installing it: unpacks it (rpm2cpio | cpio),
# runs check-app.sh on its files (runtime, every verb through the PATH command, desktop entry, MIME types,
# icons, AppStream metadata, man page, completion, window), and checks its scriptlets (rpm -qp --scripts) put
# `disklens` on the PATH and the desktop entry and /usr/share files in place, and take them away on removal.
# Usage: installers/linux/check-rpm.sh target/installer/*.rpm   (needs rpm, rpm2cpio, cpio)
set -euo pipefail
rpm=$(readlink -f "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "check-rpm: $*" >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)

mkdir "$work/root" "$work/check"
(cd "$work/root" && rpm2cpio "$rpm" | cpio -idm --quiet)
"$here/check-app.sh" "$work/root" "$work/check"
app="$work/root/opt/disklens"
[ -x "$app/bin/disklens" ] || fail "no launcher at /opt/disklens/bin/disklens"

rpm -qp --scripts "$rpm" > "$work/scripts" 2> /dev/null
sed -n '/^postinstall scriptlet/,/^[a-z]* scriptlet/p' "$work/scripts" > "$work/post"
sed -n '/^preuninstall scriptlet/,/^[a-z]* scriptlet/p' "$work/scripts" > "$work/preun"
grep -q 'ln -sf /opt/disklens/lib/app/disklens /usr/bin/disklens' "$work/post" || fail "%post does not put disklens on the PATH"
grep -q '/usr/share/applications/disklens.desktop' "$work/post" || fail "%post does not install the desktop entry"
grep -q 'cp "/opt/disklens/lib/share/$file" "/usr/share/$file"' "$work/post" || fail "%post does not install lib/share"
grep -q 'rm -f "/usr/share/$file"' "$work/preun" || fail "%preun does not remove the /usr/share files"
if grep -q 'xdg-mime default' "$work/scripts"; then fail "the scriptlets make DiskLens a default handler"; fi
rpm -qp --requires "$rpm" 2> /dev/null | grep -q '^gtk3' || fail "the package does not require gtk3"
echo "check-rpm: $(basename "$rpm") is sound ($(( $(stat -c %s "$rpm") / 1024 )) KiB)"
