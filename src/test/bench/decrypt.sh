#!/usr/bin/env bash
# Benchmark: decrypting a 1 GiB LUKS-encrypted qcow2 (aes-256-xts-plain64, as qemu-img creates it by default) to raw,
# DiskLens `convert --passphrase-file` against `qemu-img convert --object secret … --image-opts`, in the same run,
# best of N wall-clock runs each (the output removed and the page cache written back before each); "warm" is the same
# conversion again inside one JVM, as the window converts.
# Needs qemu-img, qemu-io and a built target/disklens.   Usage: src/test/bench/decrypt.sh [runs]
set -euo pipefail
runs=${1:-3}
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/disklens-decrypt.XXXXXX")
trap 'rm -rf "$work"' EXIT

printf 'bench-passphrase' > "$work/pass"
secret="secret,id=s0,file=$work/pass"
image="$work/encrypted.qcow2"
qemu-img create -q -f qcow2 --object "$secret" -o encrypt.format=luks,encrypt.key-secret=s0 "$image" 1G
# Every cluster written: random data in the first half, a repeated pattern in the second (both decrypt the same way).
head -c 512M /dev/urandom > "$work/random"
qemu-io --object "$secret" --image-opts "driver=qcow2,file.filename=$image,encrypt.key-secret=s0" \
    -c "write -P 0x6c 512M 512M" > /dev/null
qemu-img convert -n --object "$secret" -f raw "$work/random" \
    --target-image-opts "driver=qcow2,file.filename=$image,encrypt.key-secret=s0"
rm "$work/random"

out="$work/out.raw"
bench_before="rm -f '$out'; sync"
qemu_ms=$(best_ms qemu-img convert --object "$secret" --image-opts \
    "driver=qcow2,file.filename=$image,encrypt.key-secret=s0" -O raw "$out")
ours_ms=$(best_ms "$disklens" convert --passphrase-file "$work/pass" -O raw "$image" "$out")
"$disklens" convert --force --passphrase-file "$work/pass" -O raw "$image" "$out"
qemu-img convert --object "$secret" --image-opts "driver=qcow2,file.filename=$image,encrypt.key-secret=s0" \
    -O raw "$work/qemu.raw"
cmp -s "$out" "$work/qemu.raw" && echo "same bytes as qemu-img" || { echo "outputs differ" >&2; exit 1; }
rm -f "$work/qemu.raw"
warm=$(warm_ms "$out" convert --force --passphrase-file "$work/pass" -O raw "$image" "$out")

printf '| decrypt 1 GiB LUKS qcow2 → raw, best of %s | qemu-img | DiskLens cold | ratio | DiskLens warm | warm ratio |\n' "$runs"
printf '|---|---:|---:|---:|---:|---:|\n'
printf '| aes-256-xts-plain64 | %s ms | %s ms | %s | %s ms | %s |\n' "$qemu_ms" "$ours_ms" "$(ratio "$ours_ms" "$qemu_ms")" \
    "$warm" "$(ratio "$warm" "$qemu_ms")"
