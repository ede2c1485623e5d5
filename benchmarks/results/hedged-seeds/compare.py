"""The default hedged against not hedged, per scenario over the seeds both runs share.

python3 compare.py NOT_HEDGED_all.csv HEDGED_all.csv [policy]

Per scenario: the range over the seeds of p99 hedged / not hedged and of p99.9 hedged / not hedged,
the most extra attempts hedging added (percentage points of the calls) and the most failed calls it
added (points). Ratios only where at most 1% of calls failed in both runs.
"""
import collections
import csv
import sys


def load(path, policy):
    return {(r['scenario'], r['seed']): r for r in csv.DictReader(open(path)) if r['policy'] == policy}


def main():
    policy = sys.argv[3] if len(sys.argv) > 3 else 'pool-ewma'
    off, on = load(sys.argv[1], policy), load(sys.argv[2], policy)
    scenarios = collections.OrderedDict()
    for key in on:
        if key in off:
            scenarios.setdefault(key[0], []).append(key)
    print('| scenario | p99 hedged / not | p99.9 hedged / not | extra attempts, points | failed, points |')
    print('|---|---:|---:|---:|---:|')
    for name, keys in scenarios.items():
        ok = all(float(off[k]['failed_pct']) <= 1 and float(on[k]['failed_pct']) <= 1 for k in keys)

        def span(column):
            if not ok:
                return '-'
            v = [float(on[k][column]) / float(off[k][column]) for k in keys]
            return f'{min(v):.3f}' if f'{min(v):.3f}' == f'{max(v):.3f}' else f'{min(v):.3f}-{max(v):.3f}'

        extra = max(float(on[k]['extra_attempts_pct']) - float(off[k]['extra_attempts_pct']) for k in keys)
        failed = max(float(on[k]['failed_pct']) - float(off[k]['failed_pct']) for k in keys)
        print(f'| {name} | {span("p99_ms")} | {span("p999_ms")} | {extra:+.2f} | {failed:+.3f} |')


main()
