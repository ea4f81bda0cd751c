#!/usr/bin/env python3
"""bench/operator.sh, bench/operator-restore.sh: waits until a dbsnap resource in the sandbox is Succeeded.

usage: await_phase.py PLURAL NAME SECONDS (the sandbox's KUBECONFIG and SANDBOX_NAMESPACE in the environment)

One process that asks the API server every 0.1 s: a `kubectl get` in a shell loop cost about a tenth of a
core-second per look, which took a seventh of the machine from the snapshot being timed. Exits 1, printing
the resource, when it is Failed or the time is up."""
import json
import os
import sys
import time
import urllib.request

plural, name, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
server = token = None
for line in open(os.environ["KUBECONFIG"]):
    key, _, value = line.strip().partition(": ")
    if key == "server":
        server = value
    elif key == "token":
        token = value
url = f"{server}/apis/dbsnap.io/v1alpha1/namespaces/{os.environ['SANDBOX_NAMESPACE']}/{plural}/{name}"
request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
deadline = time.monotonic() + seconds
resource = {}
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            resource = json.load(response)
    except OSError:
        resource = {}  # not there yet, or the API server is busy: ask again
    phase = resource.get("status", {}).get("phase")
    if phase == "Succeeded":
        sys.exit(0)
    if phase == "Failed":
        break
    time.sleep(0.1)
print(f"{plural} {name} ended {resource.get('status', {}).get('phase') or 'without a phase'}:", file=sys.stderr)
print(json.dumps(resource, indent=2), file=sys.stderr)
sys.exit(1)
