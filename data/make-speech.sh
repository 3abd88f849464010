#!/usr/bin/env bash
# Makes the book's speech clips from text, with espeak-ng (formant synthesis) and sox.
# Run from anywhere: ./data/make-speech.sh. Rewrites data/speech*.wav.
#
# Each clip: espeak-ng speaks the sentences at 22 050 Hz, 16-bit mono; sox resamples to
# 16 000 Hz with its very-high-quality band-limited resampler (rate -v), normalises the
# peak to -1 dBFS (norm -1) and rounds to 16 bits without dither (-D), so that the output
# is the same bytes on every run. Made with espeak-ng 1.51 (Debian 1.51+dfsg-10+deb12u2)
# and SoX 14.4.2 (Debian 14.4.2+git20190427-3.5); other versions may give other bytes.
set -euo pipefail
cd "$(dirname "$0")"

for tool in espeak-ng sox; do
  command -v "$tool" > /dev/null || {
    echo "make-speech.sh: $tool is missing; on Debian: apt-get install -y espeak-ng sox" >&2
    exit 1
  }
done
echo "make-speech.sh: $(espeak-ng --version | head -n 1)"
echo "make-speech.sh: $(sox --version | head -n 1)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# clip VOICE WORDS_PER_MINUTE OUTPUT TEXT
clip() {
  espeak-ng -v "$1" -s "$2" -w "$tmp/raw.wav" "$4"
  sox "$tmp/raw.wav" -D -b 16 -c 1 "$tmp/out.wav" rate -v 16000 norm -1
  mv "$tmp/out.wav" "$3"
  echo "make-speech.sh: $3 ($(soxi -s "$3") samples at $(soxi -r "$3") Hz, $(soxi -d "$3"))"
}

# The book's clean reference: a male American English voice.
clip en-us 150 speech.wav \
  "A quiet voice carries further than you think. \
Please bring the blue notebook to the kitchen table. \
We measured the noise twice, and the second number was smaller."

# Two more voices and texts for chapter 7's evaluation set.
clip en-gb-x-rp+f3 160 speech-2.wav \
  "The ferry left the harbour just after seven in the morning. \
Nobody noticed that the station clock had stopped."

clip en-us+m3 140 speech-3.wav \
  "Seven bright lamps lit the narrow street. \
She counted the coins slowly and put them back in the jar."
