#!/usr/bin/env python3
"""Reference STOI values for the Swift tests (Tests/AudioPriorTests/Chapter08STOITests.swift).

Computes STOI with pystoi 0.4.1 (a port of Taal's MATLAB reference code) on fixtures that
the Swift test builds the same way, bit for bit, from the committed clips and a closed-form
noise, and prints one line per fixture:

    python3 -m pip install pystoi==0.4.1 numpy scipy
    python3 Tools/stoi-reference.py          # run from the repository's root

A fixture is the first `count` samples of a clip of data/ (16-bit PCM read as int / 32768,
as libsndfile reads it), plus `gain` times the noise below, in float32; its `rate` is the
rate STOI is told. At 16 kHz both implementations resample to 10 kHz, each with its own
filter; at 10 kHz neither resamples, so those values must agree to rounding.

The noise is a 32-bit linear congruential generator (Numerical Recipes' constants):
    state[i + 1] = (1664525 * state[i] + 1013904223) mod 2^32,  state[0] = seed,
    u[i] = float32(state[i + 1] / 2^32 * 2 - 1),
uniform on [-1, 1), exact in any language with 64-bit integers and IEEE doubles.
"""

import sys

import numpy as np
from scipy.io import wavfile

try:
    import pystoi
    from pystoi import stoi
except ImportError:
    sys.exit("stoi-reference.py: pystoi is missing: python3 -m pip install pystoi==0.4.1")

# name, clip, samples, rate told to STOI, noise gain, noise seed
FIXTURES = [
    ("speech-16k-g0.03", "data/speech.wav", 32640, 16000, 0.03, 1),
    ("speech-16k-g0.1", "data/speech.wav", 32640, 16000, 0.1, 2),
    ("speech-16k-g0.3", "data/speech.wav", 32640, 16000, 0.3, 3),
    ("slt-16k-g0.03", "data/real-slt.wav", 32640, 16000, 0.03, 4),
    ("slt-16k-g0.1", "data/real-slt.wav", 32640, 16000, 0.1, 5),
    ("slt-16k-g0.3", "data/real-slt.wav", 32640, 16000, 0.3, 6),
    ("speech-10k-g0.1", "data/speech.wav", 20480, 10000, 0.1, 7),
    ("slt-10k-g0.3", "data/real-slt.wav", 20480, 10000, 0.3, 8),
    ("awb-10k-g0.03", "data/real-awb.wav", 20480, 10000, 0.03, 9),
]


def lcg_noise(count, seed):
    """The fixture noise: `count` float32 values uniform on [-1, 1)."""
    out = np.empty(count, dtype=np.float32)
    state = seed
    for i in range(count):
        state = (1664525 * state + 1013904223) % 2**32
        out[i] = np.float32(state / 2**32 * 2 - 1)
    return out


def fixture(clip, count, gain, seed):
    rate, pcm = wavfile.read(clip)
    assert rate == 16000 and pcm.dtype == np.int16, clip
    clean = (pcm[:count].astype(np.float32) / np.float32(32768)).astype(np.float32)
    noisy = (clean + np.float32(gain) * lcg_noise(count, seed)).astype(np.float32)
    return clean, noisy


def main():
    print(f"pystoi {getattr(pystoi, '__version__', '0.4.1')}, numpy {np.__version__}")
    print("| fixture | SNR (dB) | STOI (pystoi) |")
    print("|---|---:|---:|")
    for name, clip, count, rate, gain, seed in FIXTURES:
        clean, noisy = fixture(clip, count, gain, seed)
        c, n = clean.astype(np.float64), noisy.astype(np.float64)
        snr = 10 * np.log10(np.sum(c**2) / np.sum((n - c) ** 2))
        print(f"| {name} | {snr:.2f} | {stoi(c, n, rate):.8f} |")


if __name__ == "__main__":
    main()
