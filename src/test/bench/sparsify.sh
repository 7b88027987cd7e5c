#!/usr/bin/env bash
# Benchmark: shrinking a guest image while converting it. A 4 GiB ext4 guest (a qcow2) with 3 GiB written and
# 1 GiB of it deleted (the freed blocks still hold data): DiskLens `convert --sparsify -O qcow2` against a plain
# `qemu-img convert -O qcow2` and, where libguestfs runs here, `virt-sparsify --convert qcow2` — time and output
# size, in the same run, best of N.
# Needs mkfs.ext4, debugfs, qemu-img and a built target/disklens; virt-sparsify (libguestfs-tools and a kernel,
# run with LIBGUESTFS_BACKEND=direct LIBGUESTFS_BACKEND_SETTINGS=force_tcg) is optional.
#   src/test/bench/sparsify.sh [runs]
set -euo pipefail
runs=${1:-3}
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

mkdir -p tree/keep tree/gone
for i in $(seq 1 8); do head -c 256M /dev/urandom > "tree/keep/$i.bin"; done
for i in $(seq 1 4); do head -c 256M /dev/urandom > "tree/gone/$i.bin"; done
mkfs.ext4 -q -d tree guest.raw 4G
rm -rf tree
for i in $(seq 1 4); do debugfs -w -R "rm /gone/$i.bin" guest.raw >/dev/null 2>&1; done
qemu-img convert -O qcow2 guest.raw guest.qcow2
rm guest.raw

bench_before="rm -f out.qcow2; sync"
# Alternately, so that neither tool always finds the memory the other just freed.
read -r q d < <(best_pair_ms "qemu-img convert -O qcow2 guest.qcow2 out.qcow2" \
    "\"$disklens\" convert --sparsify -O qcow2 guest.qcow2 out.qcow2")
rm -f out.qcow2; qemu-img convert -O qcow2 guest.qcow2 out.qcow2; qsize=$(stat -c %s out.qcow2)
rm -f out.qcow2; "$disklens" convert --sparsify -O qcow2 guest.qcow2 out.qcow2 2>/dev/null; dsize=$(stat -c %s out.qcow2)
reclaimable=$("$disklens" info --json guest.qcow2 | python3 -c 'import json,sys; print(json.load(sys.stdin)["reclaimable"])')
v=n/a; vsize=n/a
if command -v virt-sparsify >/dev/null; then
    export LIBGUESTFS_BACKEND=direct LIBGUESTFS_BACKEND_SETTINGS=force_tcg
    v=$(best_ms virt-sparsify --quiet --convert qcow2 guest.qcow2 out.qcow2) || v=fail
    rm -f out.qcow2; virt-sparsify --quiet --convert qcow2 guest.qcow2 out.qcow2 >/dev/null 2>&1 && vsize=$(stat -c %s out.qcow2) || vsize=fail
fi
echo "reclaimable (info --json): $reclaimable bytes"
printf '| %-34s | %10s | %14s |\n' "4 GiB ext4, 1 GiB deleted, best of $runs" "time (ms)" "output (bytes)"
printf '| %-34s | %10s | %14s |\n' "qemu-img convert -O qcow2" "$q" "$qsize"
printf '| %-34s | %10s | %14s |\n' "DiskLens convert --sparsify" "$d" "$dsize"
printf '| %-34s | %10s | %14s |\n' "virt-sparsify --convert qcow2" "$v" "$vsize"
echo "DiskLens/qemu-img time: $(ratio "$d" "$q")"
