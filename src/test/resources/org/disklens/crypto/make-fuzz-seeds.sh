#!/bin/sh
# Seeds of LuksFuzzTest (unlock): small LUKS1 and LUKS2 volumes made by cryptsetup luksFormat on plain files, with
# the passphrase the fuzz harness tries ("fuzz") and cheap key derivations, cut a few sectors after the payload
# offset. Run in this folder (cryptsetup; no root or device-mapper needed).
set -eu
out=LuksFuzzTestInputs/unlock
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'fuzz' > "$work/pw"
seed() { # name size-after-format args...
    name=$1 keep=$2
    shift 2
    truncate -s 4M "$work/$name"
    cryptsetup luksFormat --batch-mode --key-file "$work/pw" "$@" "$work/$name"
    truncate -s "$keep" "$work/$name"
    cp "$work/$name" "$out/$name"
}
small2="--type luks2 --luks2-metadata-size 16k --luks2-keyslots-size 128k --key-size 256"
# shellcheck disable=SC2086
seed luks2-pbkdf2-xts 168k $small2 --pbkdf pbkdf2 --pbkdf-force-iterations 1000
# shellcheck disable=SC2086
seed luks2-pbkdf2-cbc-essiv 168k $small2 --cipher aes-cbc-essiv:sha256 --pbkdf pbkdf2 --pbkdf-force-iterations 1000 --hash sha1
# shellcheck disable=SC2086
seed luks2-argon2id 168k $small2 --pbkdf argon2id --pbkdf-memory 32 --pbkdf-force-iterations 4 --pbkdf-parallel 1
# shellcheck disable=SC2086
seed luks2-4k-sectors 176k $small2 --pbkdf pbkdf2 --pbkdf-force-iterations 1000 --sector-size 4096
# LUKS1 lays out all 8 key slot areas before the payload (2 MiB): cut after slot 0, the payload is past the end.
seed luks1-xts 140k --type luks1 --key-size 256 --pbkdf-force-iterations 1000
seed luks1-cbc-essiv 140k --type luks1 --cipher aes-cbc-essiv:sha256 --key-size 128 --pbkdf-force-iterations 1000 --hash sha512
