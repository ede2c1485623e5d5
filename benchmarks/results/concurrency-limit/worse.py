"""Lists the runs where the second SimulationSuite all.csv fails more calls than the first (the same
scenario, policy and seed), the largest difference first, as Markdown table rows; the oracle is
left out (it is no registered policy). python3 worse.py baseline.csv changed.csv"""
import csv
import sys


def load(path):
    return {(r['scenario'], r['policy'], r['seed']): r for r in csv.DictReader(open(path))}


base, changed = load(sys.argv[1]), load(sys.argv[2])
rows = []
for key, r in changed.items():
    if key in base and key[1] != 'oracle':
        before, after = float(base[key]['failed_pct']), float(r['failed_pct'])
        if after > before:
            rows.append((after - before, key, before, after))
rows.sort(key=lambda x: (-x[0], x[1]))
print('| scenario | policy | seed | failed % (first) | failed % (second) | difference, points |')
print('|---|---|---:|---:|---:|---:|')
for diff, (scenario, policy, seed), before, after in rows:
    print('| %s | %s | %s | %.3f | %.3f | +%.3f |' % (scenario, policy, seed, before, after, diff))
print('\n%d of %d runs fail more calls in the second file' % (len(rows), sum(1 for k in changed if k in base and k[1] != 'oracle')))
