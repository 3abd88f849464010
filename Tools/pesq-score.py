#!/usr/bin/env python3
"""Mean wideband PESQ of each method's outputs, as one Markdown table.

    python3 Tools/pesq-score.py DIR        # or: make pesq DIR=...

DIR/clean/ITEM.wav are the clean references; every other folder DIR/METHOD/ holds that
method's output for some or all items, DIR/METHOD/ITEM.wav, of the same length, mono at
16 kHz. Each output is scored against its reference with wideband PESQ (ITU-T P.862.2,
MOS-LQO from about 1.04 to 4.64) by the `pesq` package from PyPI, a wrapper of the ITU's
reference C code. When every item is named SPEAKER-NOISE-SNRdB (e.g. `slt-babble-5dB.wav`,
as the evaluation set names its items) the table has a column per noise kind as well.

Exit status: 0 when every output was scored; 1 when the folder or a file is unusable, or
PESQ refuses an output (it finds no speech in it), with a line on stderr naming the file.
"""

import os
import re
import sys
import warnings

try:
    import numpy as np
    from pesq import pesq
    from scipy.io import wavfile
    from scipy.io.wavfile import WavFileWarning
except ImportError as error:
    sys.exit(
        f"pesq-score.py: {error.name} is missing: python3 -m pip install pesq numpy scipy "
        "(pesq builds from source: it needs a C compiler and the Python headers)"
    )

RATE = 16000
ITEM = re.compile(r"^(?P<speaker>.+)-(?P<noise>[A-Za-z]+)-(?P<snr>-?[0-9.]+)dB$")


def fail(message):
    print(f"pesq-score.py: {message}", file=sys.stderr)
    sys.exit(1)


def read(path):
    """The samples of a mono 16 kHz WAV as float64 in [-1, 1]."""
    try:
        with warnings.catch_warnings():
            # libsndfile's float WAVs carry a PEAK chunk, which scipy skips with a warning.
            warnings.simplefilter("ignore", WavFileWarning)
            rate, samples = wavfile.read(path)
    except (OSError, ValueError) as error:
        fail(f"{path}: {error}")
    if rate != RATE:
        fail(f"{path}: {rate} Hz; wideband PESQ needs {RATE} Hz")
    if samples.ndim != 1:
        fail(f"{path}: {samples.shape[1]} channels; PESQ needs mono")
    if samples.dtype == np.int16:
        return samples.astype(np.float64) / 32768
    if samples.dtype == np.int32:
        return samples.astype(np.float64) / 2**31
    return samples.astype(np.float64)


def wav_names(folder):
    return sorted(f[:-4] for f in os.listdir(folder) if f.endswith(".wav"))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: pesq-score.py DIR  (DIR/clean/ITEM.wav, DIR/METHOD/ITEM.wav)")
    root = sys.argv[1]
    clean_dir = os.path.join(root, "clean")
    if not os.path.isdir(clean_dir):
        fail(f"{clean_dir}: no such folder; the clean references go there")
    items = wav_names(clean_dir)
    if not items:
        fail(f"{clean_dir}: no .wav file")
    methods = sorted(
        d for d in os.listdir(root) if d != "clean" and os.path.isdir(os.path.join(root, d))
    )
    if not methods:
        fail(f"{root}: no method folder beside clean/")
    by_noise = all(ITEM.match(item) for item in items)
    clean = {item: read(os.path.join(clean_dir, item + ".wav")) for item in items}

    rows = []
    for method in methods:
        folder = os.path.join(root, method)
        scores = {}
        for item in wav_names(folder):
            if item not in clean:
                fail(f"{folder}/{item}.wav: no clean reference {clean_dir}/{item}.wav")
            output = read(os.path.join(folder, item + ".wav"))
            if len(output) != len(clean[item]):
                fail(
                    f"{folder}/{item}.wav: {len(output)} samples, "
                    f"the reference has {len(clean[item])}"
                )
            try:
                scores[item] = pesq(RATE, clean[item], output, "wb")
            except Exception as error:  # the package raises its own error classes
                fail(f"{folder}/{item}.wav: PESQ failed: {error}")
        rows.append((method, scores))

    noises = sorted({ITEM.match(i).group("noise") for i in items}) if by_noise else []
    print(f"Mean wideband PESQ (ITU-T P.862.2, MOS-LQO) against {clean_dir}/")
    print()
    print("| method | items | " + "".join(f"{n} | " for n in noises) + "all |")
    print("|---|---:|" + "---:|" * (len(noises) + 1))
    for method, scores in rows:
        cells = [method, f"{len(scores)} of {len(items)}"]
        for noise in noises:
            values = [s for i, s in scores.items() if ITEM.match(i).group("noise") == noise]
            cells.append(f"{np.mean(values):.2f}" if values else "–")
        cells.append(f"{np.mean(list(scores.values())):.2f}" if scores else "–")
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
