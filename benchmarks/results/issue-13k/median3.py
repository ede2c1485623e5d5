"""Per scenario and policy run on three seeds in both sets of files, the median and range of failed %
(and p99.9 ms) before and after, for the rows where any seed differs by more than 0.05 points (or 5%
of p99.9). python3 median3.py --first a.csv b.csv --second c.csv d.csv"""
import csv
import statistics
import sys


def load(paths):
    rows = {}
    for p in paths:
        for r in csv.DictReader(open(p)):
            rows[(r['scenario'], r['policy'], r['seed'])] = r
    return rows


args = sys.argv[1:]
i = args.index('--second')
first, second = load(args[1:i]), load(args[i + 1:])
groups = {}
for (s, p, seed), r in second.items():
    if p != 'oracle' and (s, p, seed) in first:
        groups.setdefault((s, p), []).append((seed, float(first[(s, p, seed)]['failed_pct']), float(r['failed_pct']),
                                              float(first[(s, p, seed)]['p999_ms']), float(r['p999_ms'])))
print('| scenario | policy | failed % before, median [range] | after | p99.9 ms before, median | after |')
print('|---|---|---|---|---:|---:|')
for (s, p), v in sorted(groups.items()):
    if len(v) < 3:
        continue
    if not any(abs(b - a) > 0.05 or abs(d - c) > 0.05 * c for _, a, b, c, d in v):
        continue
    fa, fb = [x[1] for x in v], [x[2] for x in v]
    pa, pb = [x[3] for x in v], [x[4] for x in v]
    print('| %s | %s | %.2f [%.2f-%.2f] | %.2f [%.2f-%.2f] | %.0f | %.0f |' % (
        s, p, statistics.median(fa), min(fa), max(fa), statistics.median(fb), min(fb), max(fb),
        statistics.median(pa), statistics.median(pb)))
