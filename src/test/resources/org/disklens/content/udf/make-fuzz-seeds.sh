#!/bin/sh
# Seed for UdfFuzzTest: a UDF bridge disc made by genisoimage, cut after its last used sector (the padding adds nothing to
# fuzz). Run in this folder.
set -eu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p UdfFuzzTestInputs/fileSystem
mkdir -p "$work/t/d" && echo a > "$work/t/d/a" && ln -s d/a "$work/t/l"
genisoimage -quiet -udf -o "$work/udf.iso" "$work/t" 2>/dev/null
last=$(python3 -c "import sys; d=open('$work/udf.iso','rb').read(); i=len(d.rstrip(b'\\0')); print((i+2047)//2048)")
head -c $((last * 2048)) "$work/udf.iso" > "UdfFuzzTestInputs/fileSystem/udf"
