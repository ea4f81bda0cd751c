#!/usr/bin/env python3
"""Where a measured run's CPU went, by kind of process (bench/lib.sh's measure, when BENCH_CPU=1).

  cpu_by_process.py sample FILE     every 0.25 s, each process's CPU ticks from /proc, until killed
  cpu_by_process.py summary FILE    CPU-seconds per kind over the sampled window, tab-separated

A process that starts and ends between two samples is missed, one that ends is counted to its last
sample: the summary is a lower bound, good to a quarter second per short-lived process."""
import json
import os
import sys
import time
from collections import Counter

TICKS = os.sysconf("SC_CLK_TCK")


def sample(path):
    names = {}
    me = str(os.getpid())
    with open(path, "w") as out:
        while True:
            seen = {}
            for pid in os.listdir("/proc"):
                if not pid.isdigit() or pid == me:
                    continue
                try:
                    with open(f"/proc/{pid}/stat") as f:
                        stat = f.read()
                    fields = stat[stat.rindex(")") + 2:].split()
                    ticks = int(fields[11]) + int(fields[12])
                    if ticks == 0:
                        continue
                    if pid not in names:
                        with open(f"/proc/{pid}/cmdline", "rb") as f:
                            names[pid] = f.read().replace(b"\0", b" ").decode(errors="replace")[:200]
                    seen[pid] = [ticks, names[pid]]
                except (OSError, ValueError):
                    pass  # gone between listing and reading
            out.write(json.dumps({"t": time.time(), "p": seen}) + "\n")
            out.flush()
            time.sleep(0.25)


def kind(cmdline):
    if cmdline.startswith("postgres") or "/bin/postgres" in cmdline:
        return "PostgreSQL server"
    if "pg_restore" in cmdline or "pg_dump" in cmdline:
        return "pg_restore / pg_dump"
    if "SandboxMain" in cmdline:
        return "sandbox (API server, S3, exec relay)"
    if "quarkus-run" in cmdline:
        return "operator"
    if "dbsnap.jar" in cmdline or "dbsnap.jsa" in cmdline:
        return "dbsnap (CLI or Job agent)"
    if "s3proxy" in cmdline.lower():
        return "S3Proxy"
    if cmdline.split(" ")[0].rsplit("/", 1)[-1] in ("head", "wc", "tee", "openssl", "sh", "cat", "dd"):
        return "shell tools in the pod"
    return "other"


def summary(path):
    snaps = []
    for line in open(path):
        try:
            snaps.append(json.loads(line))
        except ValueError:
            pass  # the sample being written when the sampler was stopped
    if len(snaps) < 2:
        return
    first, last = snaps[0]["p"], {}
    for snap in snaps:
        for pid, (ticks, name) in snap["p"].items():
            last[pid] = (ticks, name)
    total = Counter()
    for pid, (ticks, name) in last.items():
        used = ticks - (first[pid][0] if pid in first else 0)
        if used > 0:
            total[kind(name)] += used / TICKS
    for name, seconds in total.most_common():
        print(f"{name}\t{seconds:.2f}")


if __name__ == "__main__":
    {"sample": sample, "summary": summary}[sys.argv[1]](sys.argv[2])
