#!/usr/bin/env bash
# Run by the build (profile installer, before jpackage): what the package carries besides the application.
#   TARGET/installer-runtime/      the bundled runtime, jlinked from the modules runtime-modules.sh finds (jdeps):
#                                  --strip-debug, no man pages or headers, and the JDK's class-data-sharing (CDS)
#                                  archive (--generate-cds-archive; making it runs the image's bin/java, which
#                                  stays). jpackage takes it as it is (--runtime-image). Then, for size:
#                                  classes_nocoops.jsa goes (the archive for heaps over 32 GiB, where the JVM
#                                  would start without one), and the native libraries lose their symbol tables
#                                  (strip --strip-unneeded: the exported symbols stay; hs_err reports lose names)
#   TARGET/installer-input/        the jars are stored again without compression: the package's xz compresses
#                                  their classes far better than it compresses deflated entries (-8 MB in the
#                                  .deb; the installed jars take 42 MB instead of 19); JavaFX's native
#                                  libraries, which the build unpacks beside its jars (it then loads them from
#                                  there), leave the jars
#   TARGET/share/                  files postinst (and the RPM's %post) copy under /usr/share: the AppStream
#                                  metadata (metainfo/), the disklens(1) page (man/man1/) and the bash
#                                  completion (bash-completion/completions/), both generated from the command
#                                  line's syntax declarations (org.disklens.cli.Manual, Completion)
# Usage: installers/linux/package-content.sh TARGET   (TARGET holds disklens.jar, lib/ and installer-input/)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
target=$1
. "$here/jdk.sh"

modules=$("$here/runtime-modules.sh" "$target")
echo "$modules" > "$target/installer-modules.txt"
runtime="$target/installer-runtime"
rm -rf "$runtime"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --generate-cds-archive \
    --output "$runtime"
rm -f "$runtime/lib/server/classes_nocoops.jsa"
find "$runtime/lib" -name '*.so' -exec strip --strip-unneeded {} +

python3 - "$target/installer-input" <<'PYTHON'
import os, sys, zipfile
for folder, _, files in os.walk(sys.argv[1]):
    for name in files:
        if not name.endswith(".jar"):
            continue
        jar = os.path.join(folder, name)
        with zipfile.ZipFile(jar) as source, zipfile.ZipFile(jar + ".stored", "w", zipfile.ZIP_STORED) as stored:
            for entry in source.infolist():
                if entry.filename.endswith((".so", ".dylib", ".dll")) and os.path.isfile(os.path.join(folder, entry.filename)):
                    continue  # a JavaFX native library, which the build also put beside the jar: kept once
                copy = zipfile.ZipInfo(entry.filename, date_time=entry.date_time)
                copy.external_attr = entry.external_attr
                stored.writestr(copy, source.read(entry.filename), compress_type=zipfile.ZIP_STORED)
        os.replace(jar + ".stored", jar)
PYTHON

rm -rf "$target/share"
mkdir -p "$target/share/metainfo" "$target/share/man/man1" "$target/share/bash-completion/completions"
cp "$here/org.disklens.DiskLens.metainfo.xml" "$target/share/metainfo/"
classpath="$target/disklens.jar:$target/lib/*"
"$jdk/bin/java" -cp "$classpath" org.disklens.cli.Manual "$target/share/man/man1/disklens.1"
gzip -9nf "$target/share/man/man1/disklens.1"
"$jdk/bin/java" -cp "$classpath" org.disklens.cli.Completion "$target/share/bash-completion/completions/disklens"
echo "package-content: runtime of $modules: $(du -sm "$runtime" | cut -f1) MiB"
