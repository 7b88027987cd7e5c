#!/usr/bin/env bash
# Benchmark: the engine's work in the window's JVM, whose compilers src/main/launcher/window-compilers.json chooses
# (C2 for the engine, its compression and crypto libraries and the JDK's crypto and zip code; C1 for the rest, which
# brought the window's first frame ~0.25 s sooner). Each conversion is run, best of N wall-clock runs, alternately
# with three JIT set-ups of the window's JVM: the JVM's defaults, the window's directives, and C1 alone. The
# conversions: decrypting a 256 MiB LUKS qcow2 (its key slot made by qemu-img with a 2 s iteration time), reading
# and writing a zlib-compressed qcow2, writing a zstd-compressed one, and a plain qcow2 to raw; the disk is 216 MiB of
# source text and 100 MiB of random data.
# Needs qemu-img and a built target/ (mvn package -DskipTests).   Usage: src/test/bench/window-compilers.sh [runs]
set -euo pipefail
runs=${1:-3}
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/disklens-compilers.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"

mib=$((1024 * 1024))
printf 'bench-passphrase' > pass
secret="secret,id=s0,file=$work/pass"
qemu-img create -q -f qcow2 --object "$secret" -o encrypt.format=luks,encrypt.key-secret=s0,encrypt.iter-time=2000 \
    luks.qcow2 256M
head -c 256M /dev/urandom > random.raw
qemu-img convert -n --object "$secret" -f raw random.raw \
    --target-image-opts "driver=qcow2,file.filename=luks.qcow2,encrypt.key-secret=s0"
rm random.raw
{
    src=$(ls "$(dirname "$(dirname "$(readlink -f "$bench_java")")")"/lib/src.zip 2>/dev/null || true)
    if [ -n "$src" ]; then unzip -p "$src" 2>/dev/null | head -c $((216 * mib)) || true
    else head -c $((160 * mib)) /dev/urandom | base64 -w 76 | head -c $((216 * mib)); fi
    head -c $((100 * mib)) /dev/urandom
} > disk.raw
qemu-img convert -f raw -O qcow2 -c disk.raw zlib.qcow2
qemu-img convert -f raw -O qcow2 disk.raw plain.qcow2

java_options="--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -XX:+UnlockDiagnosticVMOptions
    -XX:-DisplayVMOutput"
jar="$top/target/disklens.jar"
setups=("defaults|" "window|-XX:CompilerDirectivesFile=$top/target/window-compilers.json" "C1 alone|-XX:TieredStopAtLevel=1")
cases=(
    "decrypt LUKS qcow2 → raw|convert --passphrase-file pass -O raw luks.qcow2 out"
    "zlib qcow2 → raw|convert -O raw zlib.qcow2 out"
    "raw → zlib qcow2|convert -O qcow2 -c disk.raw out"
    "raw → zstd qcow2|convert -O qcow2 -c -o compression_type=zstd disk.raw out"
    "qcow2 → raw|convert -O raw plain.qcow2 out"
)

printf '| conversion, best of %s | JVM defaults | window (directives) | C1 alone |\n|---|---:|---:|---:|\n' "$runs"
for case in "${cases[@]}"; do
    declare -A best=()
    for _ in $(seq "$runs"); do
        for setup in "${setups[@]}"; do
            name=${setup%%|*}
            rm -f out; sync
            start=$(date +%s%N)
            # shellcheck disable=SC2086  # the options and the command are word lists
            "$bench_java" $java_options ${setup#*|} -jar "$jar" ${case#*|} >/dev/null 2>&1 || { echo "failed: $name, ${case%%|*}" >&2; exit 1; }
            t=$(( ($(date +%s%N) - start) / 1000000 ))
            if [ -z "${best[$name]:-}" ] || [ "$t" -lt "${best[$name]}" ]; then best[$name]=$t; fi
        done
    done
    printf '| %s | %s ms | %s ms | %s ms |\n' "${case%%|*}" "${best[defaults]}" "${best[window]}" "${best[C1 alone]}"
    unset best
done
