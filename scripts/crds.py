#!/usr/bin/env python3
"""Copies the CRDs the operator's build generated (operator/target/kubernetes) into crds/ and the chart's crds/.

The generator orders printer columns by JSON path; kubectl shows them in CRD order, so they are
put back in the order people read them (as in CloudNativePG's Backup): what, from where, how it
went, how big, how old; then the -o wide columns.
"""
import pathlib
import re
import sys

COLUMN_ORDER = ["Schedule", "Timezone", "Suspend", "Last Success", "Next", "Active", "Engine", "Source", "Target", "Phase",
                "Size", "Age", "Checksum", "Location", "Pre-Restore", "Last Snapshot", "Missed"]
root = pathlib.Path(__file__).resolve().parent.parent
generated = sorted((root / "operator/target/kubernetes").glob("*.dbsnap.io-v1.yml"))
if not generated:
    sys.exit("no generated CRDs in operator/target/kubernetes: build the operator first (make crds does)")
outs = [root / "crds", root / "helm/dbsnap/crds"]
for out in outs:
    out.mkdir(parents=True, exist_ok=True)
for path in generated:
    text = path.read_text()
    block = re.search(r"(  - additionalPrinterColumns:\n)((?:    - .*\n(?:      .*\n)*)+)", text)
    if block:
        columns = re.findall(r"    - (?:.*\n)(?:      .*\n)*", block.group(2))
        def rank(column):
            name = re.search(r'name: "([^"]+)"', column).group(1)
            return COLUMN_ORDER.index(name) if name in COLUMN_ORDER else len(COLUMN_ORDER)
        text = text.replace(block.group(2), "".join(sorted(columns, key=rank)))
    for out in outs:
        target = out / path.name.replace("-v1.yml", ".yaml")
        target.write_text(text)
        print(f"wrote {target.relative_to(root)}")
