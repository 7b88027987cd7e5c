#!/bin/sh
# Seeds for Qcow2FuzzTest: small qcow2 images of every kind qemu-img makes (512 B and 4 KiB clusters to keep
# them small), written into Qcow2FuzzTestInputs/openMapReadCheck/. Run in this folder with qemu-img 7.2.
set -eu
out=Qcow2FuzzTestInputs/openMapReadCheck
mkdir -p "$out" && cd "$out" && rm -f ./*.qcow2
qemu-img create -q -f qcow2 -o cluster_size=512 a.qcow2 1M
qemu-io -f qcow2 -c "write -P 1 0 1k" -c "write -z 4k 512" a.qcow2 >/dev/null
qemu-img snapshot -c s a.qcow2
qemu-io -f qcow2 -c "write -P 2 512 512" a.qcow2 >/dev/null
qemu-img create -q -f qcow2 -o cluster_size=16k,extended_l2=on b.qcow2 1M
qemu-io -f qcow2 -c "write -P 1 0 1k" b.qcow2 >/dev/null
qemu-img create -q -f raw r.raw 64k
qemu-io -f raw -c "write -P 5 0 8k" r.raw >/dev/null
qemu-img convert -c -O qcow2 -o cluster_size=4k r.raw c.qcow2
qemu-img convert -c -O qcow2 -o cluster_size=4k,compression_type=zstd r.raw d.qcow2
rm r.raw
qemu-img create -q -f qcow2 -o cluster_size=512,compat=0.10 e.qcow2 64k
qemu-img create -q -f qcow2 -o cluster_size=512 -b a.qcow2 -F qcow2 f.qcow2
qemu-img create -q -f qcow2 -o cluster_size=512,refcount_bits=1 g.qcow2 64k
qemu-img bitmap --add g.qcow2 bm
