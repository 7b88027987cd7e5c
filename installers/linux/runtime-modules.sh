#!/usr/bin/env bash
# Prints the Java modules the bundled runtime needs, comma-separated: what jdeps finds that the application jar
# and every library beside it use (JavaFX's jars are modules but sit on the class path, as the launcher runs
# them), nothing more. The build passes this list to jpackage (--add-modules); the package checks compare the
# bundled runtime with it.   Usage: installers/linux/runtime-modules.sh APP_DIR   (disklens.jar and lib/ in it)
# Not added, deliberately: jdk.localedata (DiskLens formats with Locale.ROOT), jdk.charsets (the encodings it
# decodes, UTF-8/UTF-16/ISO-8859-1/windows-1252, are java.base's), jdk.zipfs and jdk.crypto.ec (unused: no zip file
# systems, no TLS), and the tools (jdk.compiler, jdk.jshell, jdk.javadoc, jdk.jdeps ...).
set -euo pipefail
app=$1
. "$(dirname "$0")/jdk.sh"
classpath=$(ls "$app"/lib/*.jar | tr '\n' ':')
# -R follows the classes the jar reaches through the whole class path.
modules=$("$jdk/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 25 -R \
    --class-path "$classpath" "$app/disklens.jar" | tail -n 1)
case $modules in
    java.base*) echo "$modules" ;;
    *) echo "runtime-modules: jdeps gave no module list: $modules" >&2; exit 1 ;;
esac
