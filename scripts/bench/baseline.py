#!/usr/bin/env python3
"""What a baseline of 10,000 findings adds to `latch check` (issue 13).

Generates a workspace of 1,000 JSON policies with 10 findings each (an `"Effect": "allow"`
per statement: `policy/invalid-effect`), records its baseline, and times, with the
release binary, the median of several runs of:

  plain      latch check --format json WS
  matching   latch check --format json --baseline B WS    (B holds all 10,000 findings)
  unmatched  latch check --format json --baseline U WS    (U: 10,000 prints that match none)

and prints each time and the added share. Usage: scripts/bench/baseline.py [RUNS]
(builds `target/release/latch` first). No assertion: the figure is for the report.
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 7


def main():
    subprocess.run(["cargo", "build", "--quiet", "--release", "-p", "latch"], cwd=REPO, check=True)
    latch = os.path.join(REPO, "target", "release", "latch")
    tmp = tempfile.mkdtemp(prefix="latch-bench-")
    ws = os.path.join(tmp, "ws")
    for f in range(1000):
        d = os.path.join(ws, f"team{f % 20}")
        os.makedirs(d, exist_ok=True)
        statements = [
            {"Sid": f"S{s}", "Effect": "allow", "Action": "s3:GetObject",
             "Resource": f"arn:aws:s3:::bucket-{f}/prefix-{s}/*"}
            for s in range(10)
        ]
        with open(os.path.join(d, f"p{f}.json"), "w") as fh:
            json.dump({"Version": "2012-10-17", "Statement": statements}, fh, indent=2)
    matching = os.path.join(tmp, "baseline.json")
    subprocess.run([latch, "check", "--write-baseline", matching, ws],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    with open(matching) as fh:
        recorded = json.load(fh)
    n = len(recorded["findings"])
    unmatched = os.path.join(tmp, "unmatched.json")
    with open(unmatched, "w") as fh:
        json.dump({"version": 1, "tool": "latch", "findings": [
            dict(f, fingerprint=f"{i:016x}") for i, f in enumerate(recorded["findings"])]}, fh)

    variants = {"plain": [], "matching": ["--baseline", matching], "unmatched": ["--baseline", unmatched]}
    samples = {k: [] for k in variants}

    def run(args):
        start = time.perf_counter()
        subprocess.run([latch, "check", "--format", "json", *args, ws],
                       stdout=subprocess.DEVNULL, check=False)
        return time.perf_counter() - start

    run([])  # warm the file cache
    # Round-robin, so that a busy moment of the machine weighs on every variant alike.
    for _ in range(RUNS):
        for k, args in variants.items():
            samples[k].append(run(args))
    plain, with_matching, with_unmatched = (statistics.median(samples[k]) for k in variants)
    print(f"findings in the baseline: {n}")
    print(f"plain:     {plain * 1000:.0f} ms")
    print(f"matching:  {with_matching * 1000:.0f} ms ({(with_matching / plain - 1) * 100:+.1f}%)")
    print(f"unmatched: {with_unmatched * 1000:.0f} ms ({(with_unmatched / plain - 1) * 100:+.1f}%)")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
