#!/usr/bin/env bash
# Builds the Linux packages and checks them, in one command (what .ci/run runs after `mvn verify`):
#   mvn -Pinstaller -DskipTests package   the .deb, and the .rpm where rpmbuild exists (Debian: apt-get install rpm)
#   check-deb.sh, check-rpm.sh            each unpacked, never installed (see those scripts for what they check)
# Needs the tools the checks use: qemu-img, mkfs.ext4, groff, appstreamcli (appstream), rpm2cpio and cpio for the
# .rpm, Xvfb and xwininfo (xvfb, x11-utils) for the window.   Usage: installers/linux/build-and-check.sh [MAVEN_ARGS...]
set -euo pipefail
cd "$(dirname "$0")/../.."
rm -rf target/installer
mvn -B -q -Pinstaller -DskipTests "$@" package
installers/linux/check-deb.sh target/installer/*.deb
if command -v rpmbuild > /dev/null; then
    installers/linux/check-rpm.sh target/installer/*.rpm
else
    echo "build-and-check: no rpmbuild here: the .rpm was not built" >&2
fi
