#!/usr/bin/env bash
# Benchmark: `map` of a 64 GiB qcow2 with 512-byte clusters (2 M L1 entries, a few hundred L2 tables),
# DiskLens against qemu-img in the same run, best of N wall-clock runs each. Needs qemu-img, qemu-io and a
# built target/disklens (mvn package -DskipTests).   Usage: src/test/bench/map-64g.sh [runs]
set -euo pipefail
runs=${1:-5}
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

qemu-img create -q -f qcow2 -o cluster_size=512 big.qcow2 64G
# A few hundred writes spread over the disk, each landing in its own L2 table.
cmds=()
for i in $(seq 0 299); do cmds+=(-c "write -P $((i % 250 + 1)) $(( (i * 7919 % 65536) * 1048576 )) 4k"); done
qemu-io -f qcow2 "${cmds[@]}" big.qcow2 >/dev/null

cmp <(qemu-img map --output=json big.qcow2 | python3 -c 'import json,sys;print(json.dumps(json.load(sys.stdin)))') \
    <("$disklens" map --json big.qcow2 | python3 -c 'import json,sys;print(json.dumps([{k:v for k,v in e.items() if k!="compressed"} for e in json.load(sys.stdin)]))') \
    && echo "maps agree"
q=$(best_ms qemu-img map --output=json big.qcow2)
d=$(best_ms "$disklens" map --json big.qcow2)
printf '| %-32s | %10s | %10s | %5s |\n' "map, 64 GiB, 512 B clusters" "qemu-img" "DiskLens" "ratio"
printf '| %-32s | %8s ms | %8s ms | %5s |\n' "best of $runs" "$q" "$d" "$(ratio "$d" "$q")"
