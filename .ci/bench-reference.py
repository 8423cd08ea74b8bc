#!/usr/bin/env python3
"""Times the Python reference parser (openstack tosca-parser, Debian's python3-tosca-parser) on the files of
../shared/tosca-corpus/tosca-parser/data, in one process, so that `make bench-reference` can put toscaflow's
figure beside it. Files that name a URL anywhere are left out: the reference parser would try the network.

usage: bench-reference.py DATA_DIR LIST_OUT   (writes the list of files it timed, one path a line)
"""
import logging, os, sys, time

logging.disable(logging.CRITICAL)
from toscaparser.tosca_template import ToscaTemplate  # noqa: E402

data, list_out = sys.argv[1], sys.argv[2]
files = []
for root, _, names in os.walk(data):
    for n in sorted(names):
        if not n.endswith(('.yaml', '.yml', '.zip', '.csar')):
            continue
        p = os.path.join(root, n)
        raw = open(p, 'rb').read()
        if b'://' in raw:
            continue
        files.append(p)
files.sort()
with open(list_out, 'w') as f:
    f.write('\n'.join(files) + '\n')

ok = 0
t0 = time.perf_counter()
for p in files:
    try:
        ToscaTemplate(p)
        ok += 1
    except Exception:  # a verdict, not a crash of the benchmark
        pass
dt = time.perf_counter() - t0
print(f"tosca-parser {len(files)} files ({ok} valid) in {dt*1000:.0f} ms: {len(files)/dt:.1f} files/s")
