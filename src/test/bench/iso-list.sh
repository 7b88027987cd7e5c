#!/usr/bin/env bash
# Benchmark: listing an ISO with 100,000 files, DiskLens (`ls -R --json`) against xorriso (`-find /`), in the
# same run, best of N wall-clock runs each. Needs xorriso and a built target/disklens.
#   src/test/bench/iso-list.sh [runs] [files]
set -euo pipefail
runs=${1:-5}
files=${2:-100000}
top=$(cd "$(dirname "$0")/../../.." && pwd)
disklens="$top/target/disklens"
[ -x "$disklens" ] || { echo "build first: mvn -q package -DskipTests" >&2; exit 1; }
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

best() {
    local best=""
    for _ in $(seq "$runs"); do
        local start end
        start=$(date +%s%N); "$@" >/dev/null 2>&1; end=$(date +%s%N)
        local t=$(( (end - start) / 1000000 ))
        if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
    done
    echo "$best"
}

ours=$("$disklens" ls -R --json many.iso | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
theirs=$(xorriso -indev many.iso -find / 2>/dev/null | grep -c "^'/")
echo "entries: DiskLens $ours, xorriso $((theirs - 1)) (xorriso also prints the root)"
x=$(best xorriso -indev many.iso -find /)
d=$(best "$disklens" ls -R --json many.iso)
printf '| %-30s | %10s | %10s | %5s |\n' "list $files files" "xorriso" "DiskLens" "ratio"
printf '| %-30s | %7s ms | %7s ms | %5s |\n' "best of $runs" "$x" "$d" "$(python3 -c "print(f'{$d/$x:.2f}')")"
