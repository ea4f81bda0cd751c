#!/usr/bin/env python3
"""Turns bench/run.sh's measurements into the markdown table under bench/results/."""
import os
import platform
import statistics
import subprocess
import sys
from collections import defaultdict

raw_file, micro, mb, large_mb, runs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]

rows = defaultdict(lambda: defaultdict(list))
order = defaultdict(list)
raw_bytes = {}
for line in open(raw_file):
    dataset, label, seconds, rss, stored = line.rstrip("\n").split("\t")
    if label == "raw dump bytes":
        raw_bytes[dataset] = int(stored)
        continue
    if label not in order[dataset]:
        order[dataset].append(label)
    rows[dataset][label].append((float(seconds), int(rss), int(stored)))


def mib(n):
    return f"{n / 2**20:,.0f} MiB"


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def version(cmd):
    try:
        done = subprocess.run(cmd, capture_output=True, text=True)
        return (done.stdout.strip() or done.stderr.strip()).splitlines()[0]
    except (OSError, IndexError):
        return "unknown"


print("# dbsnap benchmark")
print()
print(f"- machine: {os.cpu_count()} cores, {cpu_model()}")
print(f"- {version(['pg_dump', '--version'])}; {version(['restic', 'version'])}; {version(['java', '-version']) or 'java'}")
print(f"- databases of about {mb} MB (and {large_mb} MB for memory); {runs} runs each, interleaved, after a warm-up; "
      "medians. MB/s is raw (uncompressed) dump bytes per second; × limit is the wall time over "
      "`pg_dump -Fc -Z0 > /dev/null`; for restores, over a single-job `pg_restore` from a local file into a new "
      "database (restores through the operator: make bench-restore). Peak RSS is the largest single process (for dbsnap, its JVM).")
print("- dbsnap defaults: zstd level 1, one zstd worker thread beside the copying thread (`--workers 1`), S3 parts of 8 MiB, 2 uploads in flight.")
print("- S3Proxy runs on the same machine and competes for its 2 cores; over plain HTTP the AWS SDK signs "
      "every payload (SHA-256), which it does not do over HTTPS.")
print()

for dataset in order:
    results = rows[dataset]
    limit = None
    by_hand = None
    for label in order[dataset]:
        if label.startswith("1 "):
            limit = statistics.median(s for s, _, _ in results[label])
        if label.startswith("6 pg_restore"):
            by_hand = statistics.median(s for s, _, _ in results[label])
    raw = raw_bytes.get(dataset)
    print(f"## {dataset}" + (f" (raw dump {mib(raw)})" if raw else ""))
    print()
    print("| pipeline | median wall | MB/s raw | × limit | stored | raw/stored | peak RSS |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label in order[dataset]:
        samples = results[label]
        wall = statistics.median(s for s, _, _ in samples)
        rss = max(r for _, r, _ in samples)
        stored = statistics.median(st for _, _, st in samples)
        rate = f"{raw / 1e6 / wall:,.0f}" if raw and wall > 0 and label[0] not in "67" else "—"
        restore = label[0] in "67"
        ratio = (f"{wall / by_hand:.2f} of pg_restore" if by_hand and restore and not label.startswith("6v")
                 else f"{wall / limit:.2f}" if limit and not restore else "—")
        stored_text = mib(stored) if stored else "—"
        shrink = f"{raw / stored:.1f}×" if stored and raw else "—"
        runs_note = f" ({len(samples)} run{'s' if len(samples) > 1 else ''})" if len(samples) != int(runs) else ""
        print(f"| {label.replace('|', chr(92) + '|')}{runs_note} | {wall:.2f} s | {rate} | {ratio} | {stored_text} | {shrink} | {rss // 1024} MiB |")
    print()

print("## Pipeline alone (count → zstd → SHA-256 on a synthetic dump that zstd shrinks ~2.7×, no database, no store)")
print()
print(micro)
