#!/usr/bin/env python3
"""bench/restore.sh and bench/operator.sh: measure's rows (bench/lib.sh) as one table of medians, each over the row
the ratio is taken to, then the operator's Jobs on a timeline (bench/job_timeline.py).
Arguments: RAW TIMELINE RUNS TITLE INTRO ROW_HEADER BASE_ROW RATIO_HEADER TIMELINE_HEADING [CPU], CPU being measure's
CPU-seconds by kind of process (BENCH_CPU=1), shown as a table of medians when it holds any."""
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

cpu = {}
for line in open(sys.argv[10]) if len(sys.argv) > 10 else []:
    label, kind, seconds = line.rstrip("\n").split("\t")
    cpu.setdefault(label, {}).setdefault(kind, []).append(float(seconds))
if cpu:
    totals = {}
    for kinds in cpu.values():
        for kind, each in kinds.items():
            totals[kind] = totals.get(kind, 0) + statistics.median(each)
    kinds = sorted(totals, key=lambda k: (k == "other", -totals[k]))
    print("\nCPU-seconds each kind of process used during each row's runs (medians; sampled from /proc every "
          "0.25 s by bench/cpu_by_process.py; 2 cores give 2 CPU-seconds per second of wall time):\n")
    print("| | " + " | ".join(kinds) + " | total |\n| --- |" + " ---: |" * (len(kinds) + 1))
    for label in order:
        medians = [statistics.median(cpu.get(label, {}).get(kind, [0])) for kind in kinds]
        print(f"| {label} | " + " | ".join(f"{m:.1f}" for m in medians) + f" | {sum(medians):.1f} |")
