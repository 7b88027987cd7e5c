#!/usr/bin/env bash
# Benchmark: listing an XFS with 100,000 files, DiskLens (`ls -R --json`) against xfs_db listing every folder of the
# same tree in one run (`xfs_db -r -c "ls /" -c "ls /folder-000" …`), best of N wall-clock runs each; "warm" is the
# same listing again inside one JVM, as the window lists. Needs mkfs.xfs, xfs_db and a built target/disklens.
#   src/test/bench/xfs-list.sh [runs] [files]
set -euo pipefail
runs=${1:-5}
files=${2:-100000}
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# 100 folders of 1,000 small files each, described in a protofile (mkfs.xfs fills the file system from it).
python3 - "$files" "$work" <<'PY'
import os, sys
count, work = int(sys.argv[1]), sys.argv[2]
os.makedirs("src", exist_ok=True)
with open("src/one.txt", "w") as f:
    f.write("1\n")
with open("many.proto", "w") as proto, open("xfs_db.args", "w") as args:
    proto.write("/dev/null\n0 0\nd--755 0 0\n")
    args.write("-c\nls /\n")
    for folder in range(0, (count + 999) // 1000):
        proto.write(f" folder-{folder:03d} d--755 0 0\n")
        args.write(f"-c\nls /folder-{folder:03d}\n")
        for i in range(folder * 1000, min(count, folder * 1000 + 1000)):
            proto.write(f"  file-{i:06d}.txt ---644 0 0 {work}/src/one.txt\n")
        proto.write(" $\n")
    proto.write("$\n")
PY
truncate -s 1G many.xfs
mkfs.xfs -q -f -p many.proto many.xfs
mapfile -t dbargs < xfs_db.args

ours=$("$disklens" ls -R --json many.xfs | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
theirs=$(xfs_db -r "${dbargs[@]}" many.xfs | grep -c 'file-')
echo "entries: DiskLens $ours (folders and files), xfs_db $theirs files"
x=$(best_ms xfs_db -r "${dbargs[@]}" many.xfs)
d=$(best_ms "$disklens" ls -R --json many.xfs)
w=$(warm_ms "$work/none" ls -R --json many.xfs)
printf '| %-26s | %10s | %10s | %5s | %13s | %10s |\n' "list $files XFS files" "xfs_db" "DiskLens" "ratio" "DiskLens warm" "warm ratio"
printf '| %-26s | %7s ms | %7s ms | %5s | %10s ms | %10s |\n' "best of $runs" "$x" "$d" "$(ratio "$d" "$x")" "$w" "$(ratio "$w" "$x")"
