"""Compares two SimulationSuite all.csv files (the same scenarios, policies and seeds), off then on:
failed %, p99 and recovery as median [min-max] over the seeds. python3 compare.py off.csv on.csv"""
import csv, sys, statistics
from collections import defaultdict
def load(p):
    d = defaultdict(list)
    for r in csv.DictReader(open(p)):
        d[(r['scenario'], r['policy'])].append(r)
    return d
off, on = load(sys.argv[1]), load(sys.argv[2])
scen = []
for k in off:
    if k[0] not in scen: scen.append(k[0])
def med(rows, f, conv=float):
    vals = [conv(r[f]) for r in rows]
    return statistics.median(vals), min(vals), max(vals)
def rec(v):
    return float('inf') if v == 'never' else (float('nan') if v in ('', '-') else float(v))
def fmt_rec(x):
    return 'never' if x == float('inf') else ('-' if x != x else '%.0f' % x)
for s in scen:
    pols = [k[1] for k in off if k[0] == s]
    fault = any(r['recovery_s'] not in ('', '-') for r in off[(s, pols[0])])
    print('\n#### %s\n' % s)
    print('| policy | failed % off | failed % on | p99 ms off | p99 ms on |' + (' recovery s off | recovery s on |' if fault else ''))
    print('|---|---:|---:|---:|---:|' + ('---:|---:|' if fault else ''))
    for p in pols:
        a, b = off[(s, p)], on[(s, p)]
        fo, fn = med(a, 'failed_pct'), med(b, 'failed_pct')
        po, pn = med(a, 'p99_ms'), med(b, 'p99_ms')
        line = '| %s | %.2f [%.2f-%.2f] | %.2f [%.2f-%.2f] | %.0f [%.0f-%.0f] | %.0f [%.0f-%.0f] |' % ((p,) + fo + fn + po + pn)
        if fault:
            ro = sorted(rec(r['recovery_s']) for r in a); rn = sorted(rec(r['recovery_s']) for r in b)
            line += ' %s [%s-%s] | %s [%s-%s] |' % (fmt_rec(ro[1]), fmt_rec(ro[0]), fmt_rec(ro[2]), fmt_rec(rn[1]), fmt_rec(rn[0]), fmt_rec(rn[2]))
        print(line)
