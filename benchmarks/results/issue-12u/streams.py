"""Recovery over router streams for one policy (default lowest-latency): per scenario, the runs over 5 s, the
median and the largest. python3 streams.py streams.csv [policy]"""
import csv
import sys
from collections import defaultdict

policy = sys.argv[2] if len(sys.argv) > 2 else 'lowest-latency'
runs = defaultdict(list)
for r in csv.DictReader(open(sys.argv[1])):
    if r['policy'] == policy:
        runs[r['scenario']].append(float('inf') if r['recovery_s'] == 'never' else float(r['recovery_s']))
print('| scenario | runs | over 5 s | median s | largest s |')
print('|---|---:|---:|---:|---:|')
for scenario, v in runs.items():
    v.sort()
    print('| %s | %d | %d | %g | %g |' % (scenario, len(v), sum(1 for x in v if x > 5), v[len(v) // 2], v[-1]))
