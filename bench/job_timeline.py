#!/usr/bin/env python3
"""bench/restore.sh: the Jobs created since a restore was applied, read as `kubectl get jobs -o json` on stdin:
each one's name and when it was created, started and completed, in seconds after the apply (whole seconds:
the API's timestamps have no fraction)."""
import json
import sys
from datetime import datetime, timezone

name, applied = sys.argv[1], int(float(open(sys.argv[2]).read()))  # whole seconds, as the timestamps


def seconds(timestamp):
    return datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp()


def after(timestamp):
    return f"{seconds(timestamp) - applied:6.0f}" if timestamp else "     -"


jobs = [j for j in json.load(sys.stdin)["items"] if seconds(j["metadata"]["creationTimestamp"]) >= applied]
print(f"{name}:")
for job in sorted(jobs, key=lambda j: j["metadata"]["creationTimestamp"]):
    status = job.get("status", {})
    print(f"  {job['metadata']['name']:<52}{after(job['metadata']['creationTimestamp'])}"
          f"{after(status.get('startTime'))}{after(status.get('completionTime'))}")
