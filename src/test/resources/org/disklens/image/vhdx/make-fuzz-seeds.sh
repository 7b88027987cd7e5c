#!/bin/sh
# Seeds for VhdxFuzzTest: small VHDX files built from MS-VHDX by the test helper VhdxSeeds (dynamic, fixed, every
# payload state, differencing with a sector bitmap, a pending log), because qemu-img's smallest VHDX is an 8 MiB file
# of holes. Run in this folder after `mvn -o test-compile`, with a JDK 25 `java` (or JAVA=/path/to/java).
set -eu
root=$(cd ../../../../../../.. && pwd)
out=VhdxFuzzTestInputs/openMapReadCheck
mkdir -p "$out" && rm -f "$out"/*.vhdx
"${JAVA:-java}" -cp "$root/target/classes:$root/target/test-classes" org.disklens.image.vhdx.VhdxSeeds "$out"
