"""Compares two SimulationSuite all.csv files run by run (scenario, policy, seed): prints, as Markdown
rows, every run where the second is worse than the first by more than a threshold in failed %
(0.05 points), p99 or p99.9 (5%, and 1 ms), or recovery (1 s), and a count of runs better and
worse per measure. The oracle is left out. python3 compare.py first.csv second.csv"""
import csv
import sys


def load(path):
    return {(r['scenario'], r['policy'], r['seed']): r for r in csv.DictReader(open(path))}


def num(v):
    try:
        return float(v)
    except ValueError:
        return None


first, second = load(sys.argv[1]), load(sys.argv[2])
keys = sorted(k for k in second if k in first and k[1] != 'oracle')
measures = [('failed_pct', 'failed %', lambda a, b: b - a > 0.05),
            ('p99_ms', 'p99 ms', lambda a, b: b > a * 1.05 and b - a > 1),
            ('p999_ms', 'p99.9 ms', lambda a, b: b > a * 1.05 and b - a > 1),
            ('recovery_s', 'recovery s', lambda a, b: b - a >= 1)]
better = lambda a, b, m: (a - b > 0.05) if m == 'failed_pct' else (b - a <= -1) if m == 'recovery_s' else (a > b * 1.05 and a - b > 1)
print('| scenario | policy | seed | measure | first | second |')
print('|---|---|---:|---|---:|---:|')
counts = {}
for k in keys:
    for col, label, worse in measures:
        a, b = num(first[k][col]), num(second[k][col])
        if a is None or b is None:
            continue
        c = counts.setdefault(label, [0, 0])
        if worse(a, b):
            c[1] += 1
            print('| %s | %s | %s | %s | %s | %s |' % (k[0], k[1], k[2], label, first[k][col], second[k][col]))
        elif better(a, b, col):
            c[0] += 1
print()
print('%d runs compared; beyond the thresholds, better / worse in the second: %s' % (
    len(keys), ', '.join('%s %d / %d' % (l, c[0], c[1]) for l, c in counts.items())))
