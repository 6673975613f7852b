#!/usr/bin/env python3
"""Turns the outside intent datasets of ../shared/data into `switchboard eval` files.

    python3 scripts/intent_eval_data.py [--data DIR] [--out target/intent-eval]

Every split is fixed (positions in the files, or a seeded sample), so every run and every
machine scores the same lines. Nothing is written into the repository's content: the files go
to --out (under target/ by default, which git ignores). Output, one `locale<TAB>intent<TAB>text`
file per side (see `switchboard eval --help`). The data folder is --data, else
$SWITCHBOARD_SHARED_DATA, else ../shared/data beside the checkout.

xsid/{train,test}.tsv
    xsid-valid.tsv, 19 locales. Within each locale, exact duplicate texts are dropped (the first
    occurrence is kept: a text must not be on both sides). `no` has 3,299 lines (the others 300,
    ja 150): after de-duplication its first 300 lines are kept, so every locale weighs alike.
    Then each locale's every third line (positions 2, 5, 8… after de-duplication, in file order)
    is a test line, the other two thirds train.
banking77/fold{0..4}-{train,test}.tsv
    banking77-train.csv, 5-fold cross-validation stratified by intent: the i-th example of an
    intent (in file order) is in fold i mod 5.
banking77/shot10-seed{1..5}-{train,test}.tsv
    10 examples per intent drawn with Python's random.Random(seed).sample from that intent's
    examples in file order; the test side is every other example of the file.
clinc150/{train,test}.tsv
    clinc150-train-val.tsv: train = the in-scope `train` split (15,000; oos_train is left out:
    the store knows only what editors write); test = `val` (3,000) + `oos_val` (100, intent null).
"""

import argparse
import csv
import os
import random
import sys
from collections import OrderedDict, defaultdict


def clean(text):
    return " ".join(text.replace("\t", " ").split())


def write(path, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for locale, intent, text in rows:
            f.write(f"{locale}\t{intent}\t{clean(text)}\n")
    return len(rows)


def xsid(data, out):
    by_locale = OrderedDict()
    with open(os.path.join(data, "xsid-valid.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            locale, intent, text = line.rstrip("\n").split("\t", 2)
            by_locale.setdefault(locale, []).append((intent, clean(text)))
    train, test, dropped = [], [], 0
    for locale, rows in by_locale.items():
        seen, kept = set(), []
        for intent, text in rows:
            if text in seen:
                dropped += 1
                continue
            seen.add(text)
            kept.append((intent, text))
        if locale == "no":
            kept = kept[:300]
        for i, (intent, text) in enumerate(kept):
            (test if i % 3 == 2 else train).append((locale, intent, text))
    print(f"xsid: {write(os.path.join(out, 'xsid/train.tsv'), train)} train, "
          f"{write(os.path.join(out, 'xsid/test.tsv'), test)} test, {dropped} duplicates dropped")


def banking77(data, out):
    by_intent = OrderedDict()
    with open(os.path.join(data, "banking77-train.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            by_intent.setdefault(row["category"], []).append(row["text"])
    for fold in range(5):
        train, test = [], []
        for intent, texts in by_intent.items():
            for i, text in enumerate(texts):
                (test if i % 5 == fold else train).append(("en", intent, text))
        write(os.path.join(out, f"banking77/fold{fold}-train.tsv"), train)
        write(os.path.join(out, f"banking77/fold{fold}-test.tsv"), test)
    for seed in range(1, 6):
        rng = random.Random(seed)
        train, test = [], []
        for intent, texts in by_intent.items():
            chosen = set(rng.sample(range(len(texts)), 10))
            for i, text in enumerate(texts):
                (train if i in chosen else test).append(("en", intent, text))
        write(os.path.join(out, f"banking77/shot10-seed{seed}-train.tsv"), train)
        write(os.path.join(out, f"banking77/shot10-seed{seed}-test.tsv"), test)
    total = sum(len(t) for t in by_intent.values())
    print(f"banking77: {total} examples, {len(by_intent)} intents; 5 folds, 5 ten-shot samples")


def clinc150(data, out):
    train, test = [], []
    with open(os.path.join(data, "clinc150-train-val.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            split, intent, text = line.rstrip("\n").split("\t", 2)
            if split == "train":
                train.append(("en", intent, text))
            elif split == "val":
                test.append(("en", intent, text))
            elif split == "oos_val":
                test.append(("en", "null", text))
    print(f"clinc150: {write(os.path.join(out, 'clinc150/train.tsv'), train)} train, "
          f"{write(os.path.join(out, 'clinc150/test.tsv'), test)} test")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default_data = os.environ.get("SWITCHBOARD_SHARED_DATA") or os.path.join(
        here, "..", "..", "shared", "data")
    parser.add_argument("--data", default=default_data)
    parser.add_argument("--out", default=os.path.join(here, "..", "target", "intent-eval"))
    args = parser.parse_args()
    if not os.path.isdir(args.data):
        sys.exit(f"no data folder at {args.data} (pass --data)")
    xsid(args.data, args.out)
    banking77(args.data, args.out)
    clinc150(args.data, args.out)


if __name__ == "__main__":
    main()
