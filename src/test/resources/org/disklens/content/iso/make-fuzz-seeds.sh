#!/bin/sh
# Seed for IsoFuzzTest: an ISO with Rock Ridge and Joliet names made by genisoimage, cut after its last used sector (the padding adds nothing to
# fuzz). Run in this folder.
set -eu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p IsoFuzzTestInputs/fileSystem
mkdir -p "$work/t/d" && echo a > "$work/t/d/a" && ln -s d/a "$work/t/l"
genisoimage -quiet -R -J -o "$work/rr-joliet.iso" "$work/t" 2>/dev/null
last=$(python3 -c "import sys; d=open('$work/rr-joliet.iso','rb').read(); i=len(d.rstrip(b'\\0')); print((i+2047)//2048)")
head -c $((last * 2048)) "$work/rr-joliet.iso" > "IsoFuzzTestInputs/fileSystem/rr-joliet"
