#!/usr/bin/env bash
# Benchmark: DiskLens `convert` against `qemu-img convert`, in the same run, on the same 2 GiB disk.
#
#   src/test/bench/convert.sh [RUNS] [WORKDIR]      (default: 5 runs, a temporary folder)
#
# Needs: target/disklens and the test classes (mvn package -DskipTests), qemu-img, qemu-io, dd, unzip or zcat, /usr/bin/time.
# The disk mixes compressible text, random data, written zeroes and holes, in 64 MiB bands.
# Each conversion runs RUNS times with each tool, alternating; the table shows the best wall-clock time
# of each (a noisy 2-core machine: the best run is the least disturbed one), DiskLens's peak RSS, and the
# ratio DiskLens/qemu-img (below 1.0: DiskLens is faster). BENCH_ONLY="qcow2->raw,raw->qcow2" runs only the
# conversions of those labels. DiskLens runs with -Xmx512m unless
# DISKLENS_JAVA_OPTIONS says otherwise. The "warm" column is the same conversion run again inside one JVM
# (org.disklens.tools.WarmRun, from the test classes): the engine without the JVM's start, as the window runs it.
set -euo pipefail

runs=${1:-5}
work=${2:-$(mktemp -d "${TMPDIR:-/tmp}/disklens-bench.XXXXXX")}
mkdir -p "$work"
export DISKLENS_JAVA_OPTIONS=${DISKLENS_JAVA_OPTIONS:--Xmx512m}
source "$(dirname "$0")/lib.sh"

mib=$((1024 * 1024))
band=$((64 * mib))

text_corpus() {
    # Real text compresses like real disks do: the JDK's sources, else man pages, else base64.
    local src="" candidate
    for candidate in /usr/lib/jvm/*/lib/src.zip; do
        [ -s "$candidate" ] && src=$candidate && break
    done
    if [ -n "$src" ] && command -v unzip >/dev/null; then
        { unzip -p "$src" 2>/dev/null || true; } | head -c $((96 * mib))
    elif ls /usr/share/man/man1/*.gz >/dev/null 2>&1; then
        { cat /usr/share/man/man*/*.gz | zcat 2>/dev/null || true; } | head -c $((96 * mib))
    else
        head -c $((72 * mib)) /dev/urandom | base64 -w 76 | head -c $((96 * mib))
    fi
}

make_disk() {
    local raw="$work/disk.raw"
    [ -f "$work/disk.vdi" ] && return 0
    echo "making the 2 GiB disk in $work ..." >&2
    text_corpus > "$work/text"
    truncate -s 2G "$raw"
    # 32 bands of 64 MiB: text, random, text, zeroes, hole, random, text, hole, ...
    local kinds=(text random text zero hole random text hole)
    for band_index in $(seq 0 31); do
        local kind=${kinds[$((band_index % 8))]}
        local seek=$((band_index * 64))
        case $kind in
            text) dd if="$work/text" of="$raw" bs=1M seek=$seek count=64 conv=notrunc iflag=fullblock status=none ;;
            random) dd if=/dev/urandom of="$raw" bs=1M seek=$seek count=64 conv=notrunc status=none ;;
            zero) dd if=/dev/zero of="$raw" bs=1M seek=$seek count=64 conv=notrunc status=none ;;
            hole) ;;
        esac
    done
    rm -f "$work/text"
    qemu-img convert -f raw -O qcow2 "$raw" "$work/disk.qcow2"
    qemu-img convert -f raw -O qcow2 -c "$raw" "$work/disk-zlib.qcow2"
    qemu-img convert -f raw -O vmdk "$raw" "$work/disk.vmdk"
    qemu-img convert -f raw -O vpc "$raw" "$work/disk.vhd"
    qemu-img convert -f raw -O vhdx "$raw" "$work/disk.vhdx"
    qemu-img convert -f raw -O vdi "$raw" "$work/disk.vdi"
    # Written zeroes stay allocated data in the images, as a guest's writes would leave them.
    for band_index in $(seq 3 8 31); do
        qemu-io -f qcow2 -c "write -P 0 $((band_index * 64))M 64M" "$work/disk.qcow2" >/dev/null
    done
}

# timed OUTPUT COMMAND...: runs once, prints "seconds peak-kib", or "fail" if the command failed
timed() {
    local out=$1; shift
    rm -rf "$out" "$out"-*
    sync
    if /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/stderr"; then
        tail -n 1 "$work/time"
    else
        sed 's/^/    /' "$work/stderr" | head -n 3 >&2
        echo "fail 0"
    fi
}

min() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (a == "fail") print b; else if (b == "fail") print a; else print (a < b) ? a : b }'
}

make_disk
cases=(
    "qcow2->raw|-f qcow2 -O raw|disk.qcow2|out.raw"
    "zlib-qcow2->raw|-f qcow2 -O raw|disk-zlib.qcow2|out.raw"
    "vmdk->raw|-f vmdk -O raw|disk.vmdk|out.raw"
    "raw->qcow2|-f raw -O qcow2|disk.raw|out.qcow2"
    "raw->qcow2 -c (zlib)|-f raw -O qcow2 -c|disk.raw|out.qcow2"
    "raw->vmdk streamOptimized|-f raw -O vmdk -o subformat=streamOptimized|disk.raw|out.vmdk"
    "vhd->raw|-f vpc -O raw|disk.vhd|out.raw"
    "vhdx->raw|-f vhdx -O raw|disk.vhdx|out.raw"
    "vdi->raw|-f vdi -O raw|disk.vdi|out.raw"
    "raw->vhd (dynamic)|-f raw -O vpc|disk.raw|out.vhd"
    "raw->vhd fixed|-f raw -O vpc -o subformat=fixed|disk.raw|out.vhd"
    "raw->vhdx|-f raw -O vhdx|disk.raw|out.vhdx"
    "raw->vdi|-f raw -O vdi|disk.raw|out.vdi"
)
only=${BENCH_ONLY:-}
printf '| conversion | qemu-img best (s) | DiskLens best (s) | ratio | DiskLens peak RSS (MiB) | DiskLens warm (s) | warm ratio |\n'
printf '|---|---:|---:|---:|---:|---:|---:|\n'
for entry in "${cases[@]}"; do
    IFS='|' read -r label options source output <<<"$entry"
    [ -n "$only" ] && [[ ",$only," != *",$label,"* ]] && continue
    best_qemu=fail; best_ours=fail; peak=0
    for run in $(seq 1 "$runs"); do
        read -r seconds _ < <(timed "$work/$output" qemu-img convert $options "$work/$source" "$work/$output")
        best_qemu=$(min "$seconds" "$best_qemu")
        read -r seconds kib < <(timed "$work/$output" "$disklens" convert --force $options "$work/$source" "$work/$output")
        best_ours=$(min "$seconds" "$best_ours")
        peak=$(( kib > peak ? kib : peak ))
    done
    warm_ms=$(warm_ms "$work/$output" convert --force $options "$work/$source" "$work/$output")
    warm=$(awk -v ms="$warm_ms" 'BEGIN { if (ms == "fail") print "fail"; else printf "%.2f", ms / 1000 }')
    printf '| %s | %s | %s | %s | %d | %s | %s |\n' "$label" "$best_qemu" "$best_ours" "$(ratio "$best_ours" "$best_qemu")" \
        $((peak / 1024)) "$warm" "$(ratio "$warm" "$best_qemu")"
done
rm -rf "$work"/out.*
