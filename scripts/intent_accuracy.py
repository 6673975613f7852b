#!/usr/bin/env python3
"""Intent accuracy on the outside datasets, the gateway's matcher next to the classical
TF-IDF + linear SVM baseline, in the same run (docs/ACCURACY.md quotes its output).

    cargo build --release
    python3 scripts/intent_accuracy.py [--bin target/release/switchboard] [--only xsid,banking77,shot10,clinc150]
        [--matchers gateway]

It writes the eval files first (scripts/intent_eval_data.py: fixed splits, see there), then
runs `switchboard eval --train … --matcher {baseline,gateway} --format json` on each and
prints a Markdown table. The baseline's stores take minutes to build on large sets (it trains
its SVMs five times, with no shrinking): the whole run takes tens of minutes.
"""

import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MATCHERS = ["baseline", "gateway"]


def run(binary, train, test, matcher, threshold):
    started = time.time()
    done = subprocess.run(
        [binary, "eval", test, "--train", train, "--matcher", matcher,
         "--threshold", str(threshold), "--format", "json"],
        capture_output=True, text=True,
        # The gateway rejects SWITCHBOARD_* variables it does not know (this one is the tests').
        env={k: v for k, v in os.environ.items() if k != "SWITCHBOARD_SHARED_DATA"})
    if done.returncode != 0:
        sys.exit(f"{' '.join(done.args)} failed ({done.returncode}):\n{done.stderr}")
    report = json.loads(done.stdout)
    report["seconds"] = time.time() - started
    return report


def pct(x):
    return "-" if x is None else f"{100 * x:.1f}%"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", default=os.path.join(HERE, "..", "target", "release", "switchboard"))
    parser.add_argument("--out", default=os.path.join(HERE, "..", "target", "intent-eval"))
    parser.add_argument("--data", default=None)
    parser.add_argument("--only", default="xsid,banking77,shot10,clinc150")
    parser.add_argument("--matchers", default=",".join(MATCHERS),
                        help="baseline,gateway (default); gateway alone skips the slow baseline")
    args = parser.parse_args()
    MATCHERS[:] = args.matchers.split(",")
    only = set(args.only.split(","))
    if not os.path.exists(args.bin):
        sys.exit(f"{args.bin} is missing: run `cargo build --release` first")
    gen = [sys.executable, os.path.join(HERE, "intent_eval_data.py"), "--out", args.out]
    if args.data:
        gen += ["--data", args.data]
    subprocess.run(gen, check=True)
    d = args.out
    rows = []

    if "xsid" in only:
        r = {m: run(args.bin, f"{d}/xsid/train.tsv", f"{d}/xsid/test.tsv", m, 0.0) for m in MATCHERS}
        print("\n### xSID: per locale, top-1 accuracy (train 2/3, test 1/3)\n")
        print("| locale | n | " + " | ".join(MATCHERS) + " |\n|---|---|" + "---|" * len(MATCHERS))
        first = r[MATCHERS[0]]["locales"]
        for locale, s in first.items():
            cells = " | ".join(pct(r[m]["locales"][locale]["top1_accuracy"]) for m in MATCHERS)
            print(f"| {locale} | {s['n']} | {cells} |")
        rows.append(("xSID, mean top-1 over 19 locales",
                     *(pct(r[m]["mean_top1_accuracy"]) for m in MATCHERS),
                     *(f"{r[m]['overall']['ece'] * 100:.1f}" for m in MATCHERS)))

    def folds(prefix, k, label):
        acc = {m: [] for m in MATCHERS}
        ece = {m: [] for m in MATCHERS}
        for i in k:
            for m in MATCHERS:
                rep = run(args.bin, f"{d}/banking77/{prefix}{i}-train.tsv",
                          f"{d}/banking77/{prefix}{i}-test.tsv", m, 0.0)
                acc[m].append(rep["overall"]["top1_accuracy"])
                ece[m].append(rep["overall"]["ece"])
        print(f"\n{label}: " + "; ".join(
            f"{m} " + " ".join(pct(a) for a in acc[m]) for m in MATCHERS))
        rows.append((label, *(pct(sum(acc[m]) / len(acc[m])) for m in MATCHERS),
                     *(f"{100 * sum(ece[m]) / len(ece[m]):.1f}" for m in MATCHERS)))

    if "banking77" in only:
        folds("fold", range(5), "banking77, 5-fold cross-validation, mean top-1")
    if "shot10" in only:
        folds("shot10-seed", range(1, 6), "banking77, 10 examples per intent (5 samples), mean top-1")

    if "clinc150" in only:
        r = {m: run(args.bin, f"{d}/clinc150/train.tsv", f"{d}/clinc150/test.tsv", m, 0.5)
             for m in MATCHERS}
        print("\n### CLINC150: in-scope answered right / out-of-scope rejected, by threshold\n")
        print("| threshold | " + " | ".join(f"{m} in-scope | {m} rejected" for m in MATCHERS) + " |")
        print("|---|" + "---|---|" * len(MATCHERS))
        points = {m: r[m]["operating_points"] for m in MATCHERS}
        for row in zip(*(points[m] for m in MATCHERS)):
            cells = " | ".join(f"{pct(p['in_scope_accuracy'])} | {pct(p['oos_rejected'])}" for p in row)
            print(f"| {row[0]['threshold']:.2f} | {cells} |")
        for m in MATCHERS:
            best = max((p["in_scope_accuracy"] for p in points[m] if p["oos_rejected"] >= 0.8),
                       default=None)
            r[m]["best80"] = best
        rows.append(("CLINC150, best in-scope accuracy rejecting >= 80% out of scope",
                     *(pct(r[m]["best80"]) for m in MATCHERS),
                     *(f"{100 * r[m]['overall']['ece']:.1f}" for m in MATCHERS)))
        rows.append(("CLINC150, top-1 in scope (no threshold)",
                     *(pct(r[m]["overall"]["top1_accuracy"]) for m in MATCHERS), *("" for _ in MATCHERS)))

    print("\n| task | " + " | ".join(MATCHERS) + " | " + " | ".join(f"ECE {m}" for m in MATCHERS)
          + " |\n|---|" + "---|---|" * len(MATCHERS))
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
