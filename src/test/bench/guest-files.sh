#!/usr/bin/env bash
# Benchmark: files inside a guest file system, DiskLens against the reference readers, in the same run, best of N
# wall-clock runs each ("warm": again inside one JVM, as the window reads).
#   1. `ls -R --json` of an ext4 with 100,000 files against 7-Zip's listing (`7zz l`) of the same image;
#   2. `cat` of a 1 GiB file against `debugfs -R "dump"` (both write to a file on the same disk).
# Needs mkfs.ext4, debugfs, 7zz (Debian's 7zip) and a built target/disklens.
#   src/test/bench/guest-files.sh [runs] [files] [MiB]
set -euo pipefail
runs=${1:-5}
files=${2:-100000}
mib=${3:-1024}
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

python3 - "$files" <<'PY'
import os, sys
count = int(sys.argv[1])
for i in range(count):
    folder = f"tree/folder-{i // 1000:03d}"
    if i % 1000 == 0:
        os.makedirs(folder, exist_ok=True)
    with open(f"{folder}/file-{i:06d}.txt", "w") as f:
        f.write(f"{i}\n")
PY
mkfs.ext4 -q -N $((files + 1000)) -d tree many.ext4 1G
rm -rf tree
mkdir big && head -c $((mib << 20)) /dev/urandom > big/big.bin
mkfs.ext4 -q -d big big.ext4 $((mib + 128))M
rm -rf big

ours=$("$disklens" ls -R --json many.ext4 | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
theirs=$(7zz l -slt many.ext4 | grep -c '^Path = ')
echo "entries: DiskLens $ours, 7-Zip $theirs (7-Zip lists lost+found's and the image's own name too)"
z=$(best_ms 7zz l many.ext4)
d=$(best_ms "$disklens" ls -R --json many.ext4)
w=$(warm_ms "$work/none" ls -R --json many.ext4)
bench_before="rm -f $work/out.bin; sync"
e=$(best_ms debugfs -R "dump /big.bin $work/out.bin" big.ext4)
c=$(best_ms sh -c "'$disklens' cat big.ext4 /big.bin > '$work/out.bin'")
cmp <("$disklens" cat big.ext4 /big.bin) <(debugfs -R "cat /big.bin" big.ext4 2>/dev/null) && echo "cat: same bytes as debugfs"
printf '| %-26s | %12s | %10s | %5s | %13s | %10s |\n' "best of $runs" "reference" "DiskLens" "ratio" "DiskLens warm" "warm ratio"
printf '| %-26s | %9s ms | %7s ms | %5s | %10s ms | %10s |\n' "ls -R, $files ext4 files" "$z" "$d" "$(ratio "$d" "$z")" "$w" "$(ratio "$w" "$z")"
printf '| %-26s | %9s ms | %7s ms | %5s | %13s | %10s |\n' "cat a $mib MiB ext4 file" "$e" "$c" "$(ratio "$c" "$e")" "" ""
