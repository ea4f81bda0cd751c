#!/usr/bin/env python3
"""bench/restore.sh and bench/operator.sh: measure's rows (bench/lib.sh) as one table of medians, each over the row
the ratio is taken to, then the operator's Jobs on a timeline (bench/job_timeline.py).
Arguments: RAW TIMELINE RUNS TITLE INTRO ROW_HEADER BASE_ROW RATIO_HEADER TIMELINE_HEADING."""
import statistics
import sys

raw, timeline, runs, title, intro, row, base_row, ratio, heading = sys.argv[1:10]
times, order, dump, dataset = {}, [], 0, ""
for line in open(raw):
    dataset, label, seconds, rss, stored = line.rstrip("\n").split("\t")
    if label == "raw dump bytes":
        dump = int(stored)
        continue
    if label not in times:
        order.append(label)
    times.setdefault(label, []).append(float(seconds))
base = statistics.median(times[order[int(base_row)]])
print(f"# {title} ({runs} runs, interleaved; medians)\n")
print(f"{dataset}: {dump / 1e6:,.0f} MB raw dump. {intro}\n")
print(f"| {row} | median | each run | {ratio} |\n| --- | ---: | --- | ---: |")
for label in order:
    m = statistics.median(times[label])
    print(f"| {label} | {m:.2f} s | {', '.join(f'{t:.2f}' for t in times[label])} | {m / base:.2f} |")
print(f"\n{heading} (created → started → completed, seconds):\n")
print("```\n" + open(timeline).read().rstrip() + "\n```")
