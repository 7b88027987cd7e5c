#!/usr/bin/env bash
# Benchmark: listing an ISO with 100,000 files, DiskLens (`ls -R --json`) against xorriso (`-find /`), in the
# same run, best of N wall-clock runs each; "warm" is the same listing again inside one JVM, as the window
# lists. Needs xorriso and a built target/disklens.
#   src/test/bench/iso-list.sh [runs] [files]
set -euo pipefail
runs=${1:-5}
files=${2:-100000}
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# 100 folders of 1,000 small files each, Rock Ridge and Joliet names.
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
xorriso -as mkisofs -quiet -R -J -o many.iso tree 2>/dev/null
rm -rf tree

ours=$("$disklens" ls -R --json many.iso | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
theirs=$(xorriso -indev many.iso -find / 2>/dev/null | grep -c "^'/")
echo "entries: DiskLens $ours, xorriso $((theirs - 1)) (xorriso also prints the root)"
x=$(best_ms xorriso -indev many.iso -find /)
d=$(best_ms "$disklens" ls -R --json many.iso)
w=$(warm_ms "$work/none" ls -R --json many.iso)
printf '| %-26s | %10s | %10s | %5s | %13s | %10s |\n' "list $files files" "xorriso" "DiskLens" "ratio" "DiskLens warm" "warm ratio"
printf '| %-26s | %7s ms | %7s ms | %5s | %10s ms | %10s |\n' "best of $runs" "$x" "$d" "$(ratio "$d" "$x")" "$w" "$(ratio "$w" "$x")"
