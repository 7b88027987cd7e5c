# Sourced by the installer scripts: sets $jdk to a JDK 25 or newer (its jdeps, java), found as the launcher finds
# one: DISKLENS_JDK, JAVA_HOME, then /usr/lib/jvm/* and /opt/java/*, newest first.
jdk_major() { sed -n 's/^JAVA_VERSION="\{0,1\}\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null | head -n 1; }
jdk_usable() { local major; major=$(jdk_major "$1"); [ -n "$major" ] && [ "$major" -ge 25 ] && [ -x "$1/bin/jdeps" ]; }
jdk=
for candidate in "${DISKLENS_JDK:-}" "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/* /opt/java/* 2>/dev/null | sort -r); do
    if [ -n "$candidate" ] && jdk_usable "$candidate"; then jdk=$candidate; break; fi
done
[ -n "$jdk" ] || { echo "${0##*/}: no JDK 25 or newer with jdeps found (set DISKLENS_JDK)" >&2; exit 1; }
