#!/usr/bin/env bash
# Benchmark: reading a 2 GiB streamOptimized VMDK end to end, DiskLens (`convert -O raw`) against
# `qemu-img convert -O raw`, in the same run, best of N wall-clock runs each. The disk mixes text, random
# data and zeroes in 64 MiB bands; "warm" is the same conversion again inside one JVM, as the window converts.
# Needs qemu-img and a built target/disklens.
#   src/test/bench/vmdk-read.sh [runs]
set -euo pipefail
runs=${1:-5}
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

python3 - <<'PY'
import os
band = 64 << 20
text = (open("/usr/share/common-licenses/GPL-3", "rb").read() if os.path.exists("/usr/share/common-licenses/GPL-3")
        else b"The quick brown fox jumps over the lazy dog.\n" * 1000)
with open("disk.raw", "wb") as out:
    for index in range(32):
        kind = index % 4
        if kind == 0:
            chunk = (text * (band // len(text) + 1))[:band]
        elif kind == 1:
            chunk = os.urandom(band)
        else:
            out.seek(band, 1)
            continue
        out.write(chunk)
    out.truncate(32 * band)
PY
qemu-img convert -O vmdk -o subformat=streamOptimized disk.raw disk.vmdk
rm disk.raw

bench_before="rm -f out.raw; sync"
q=$(best_ms qemu-img convert -O raw disk.vmdk out.raw)
d=$(best_ms "$disklens" convert -O raw disk.vmdk out.raw)
"$disklens" compare disk.vmdk out.raw
w=$(warm_ms "$work/out.raw" convert -O raw disk.vmdk out.raw)
printf '| %-28s | %10s | %10s | %5s | %13s | %10s |\n' "2 GiB streamOptimized -> raw" "qemu-img" "DiskLens" "ratio" "DiskLens warm" "warm ratio"
printf '| %-28s | %7s ms | %7s ms | %5s | %10s ms | %10s |\n' "best of $runs" "$q" "$d" "$(ratio "$d" "$q")" "$w" "$(ratio "$w" "$q")"
