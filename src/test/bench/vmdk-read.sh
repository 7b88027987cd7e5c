#!/usr/bin/env bash
# Benchmark: reading a 2 GiB streamOptimized VMDK end to end, DiskLens (`convert -O raw`) against
# `qemu-img convert -O raw`, in the same run, best of N wall-clock runs each. The disk mixes text, random
# data and zeroes in 64 MiB bands. Needs qemu-img and a built target/disklens.
#   src/test/bench/vmdk-read.sh [runs]
set -euo pipefail
runs=${1:-5}
top=$(cd "$(dirname "$0")/../../.." && pwd)
disklens="$top/target/disklens"
[ -x "$disklens" ] || { echo "build first: mvn -q package -DskipTests" >&2; exit 1; }
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

best() {
    local best=""
    for _ in $(seq "$runs"); do
        rm -f out.raw
        local start end
        start=$(date +%s%N); "$@" >/dev/null 2>&1; end=$(date +%s%N)
        local t=$(( (end - start) / 1000000 ))
        if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
    done
    echo "$best"
}

q=$(best qemu-img convert -O raw disk.vmdk out.raw)
d=$(best "$disklens" convert --force -O raw disk.vmdk out.raw)
"$disklens" compare disk.vmdk out.raw
printf '| %-34s | %10s | %10s | %5s |\n' "2 GiB streamOptimized -> raw" "qemu-img" "DiskLens" "ratio"
printf '| %-34s | %7s ms | %7s ms | %5s |\n' "best of $runs" "$q" "$d" "$(python3 -c "print(f'{$d/$q:.2f}')")"
