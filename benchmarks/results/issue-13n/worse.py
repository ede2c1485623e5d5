"""Lists every (scenario, policy, seed) where the hedged run of SimulationSuite is worse at p99 or
p99.9 than the same policy not hedging (`--hedge off` against `--hedge on`, the same seeds), the
largest ratio first, with both runs' extra attempts and failed %; then each policy's worst extra
attempts hedged, and the gc-pauses p99.9 gain. The oracle is left out (it is no registered policy).

python3 worse.py not-hedged/all.csv hedged/all.csv [tolerance [not-hedged-other-stream/all.csv]]

tolerance: a ratio up to 1 + tolerance is not listed (default 0: any amount worse is listed).
The *-hedged scenarios are left out: with --hedge on or off they are their plain scenario again.
With a fourth file (the not-hedged run with -Dsim.routerStream=1: the same arrivals and work, other
random picks), each row also says whether the hedged value is above both not-hedged runs, i.e.
beyond what the routers' random stream alone moves it (one hedge's pick shifts a router's stream for
the rest of the run)."""
import csv
import sys


def load(path):
    return {(r['scenario'], r['policy'], r['seed']): r for r in csv.DictReader(open(path))
            if r['policy'] != 'oracle' and not r['scenario'].endswith('-hedged')}


def num(r, field):
    return float(r[field])


plain, hedged = load(sys.argv[1]), load(sys.argv[2])
tolerance = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
other = load(sys.argv[4]) if len(sys.argv) > 4 else None
rows = []
for key, h in hedged.items():
    n = plain.get(key)
    if n is None:
        continue
    for label, field in (('p99', 'p99_ms'), ('p99.9', 'p999_ms')):
        ratio = num(h, field) / num(n, field)
        if ratio > 1 + tolerance:
            noise = '-'
            if other is not None and key in other:
                top = max(num(n, field), num(other[key], field))
                noise = '%.1f, %s' % (num(other[key], field), 'above' if num(h, field) > top else 'within')
            rows.append((ratio, key, label, num(n, field), num(h, field), num(n, 'extra_attempts_pct'),
                         num(h, 'extra_attempts_pct'), int(h['hedges']), int(h['calls']), num(n, 'failed_pct'),
                         num(h, 'failed_pct'), noise))
rows.sort(key=lambda x: (-x[0], x[1], x[2]))
print('| scenario | policy | seed | percentile | not hedged ms | hedged ms | hedged / not | extra attempts % not / hedged | hedges % of calls | failed % not / hedged | not hedged, other stream ms; hedged is |')
print('|---|---|---:|---|---:|---:|---:|---:|---:|---:|---|')
for ratio, (scenario, policy, seed), label, a, b, xa, xb, hedges, calls, fa, fb, noise in rows:
    print('| %s | %s | %s | %s | %.1f | %.1f | %.3f (+%.1f%%) | %.2f / %.2f | %.2f | %.2f / %.2f | %s |' % (
        scenario, policy, seed, label, a, b, ratio, (ratio - 1) * 100, xa, xb, 100.0 * hedges / max(1, calls), fa, fb,
        noise))
runs = sum(1 for k in hedged if k in plain)
print('\n%d rows (of %d runs x 2 percentiles) worse hedged by more than %.1f%%' % (len(rows), runs, tolerance * 100))
if other is not None:
    print('%d of them above both not-hedged streams' % sum(1 for r in rows if r[-1].endswith('above')))
most = {}
for (scenario, policy, seed), h in hedged.items():
    share = 100.0 * int(h['hedges']) / max(1, int(h['calls']))
    if share > most.get(policy, (-1,))[0]:
        most[policy] = (share, scenario, seed)
print('\nmost hedges per 100 calls, per policy: ' + ', '.join(
    '%s %.2f (%s, %s)' % (p, s, sc, sd) for p, (s, sc, sd) in sorted(most.items())))
for scenario in ('gc-pauses', 'pauses-everywhere'):
    gains = []
    for (sc, policy, seed), h in sorted(hedged.items()):
        if sc == scenario and (sc, policy, seed) in plain:
            gains.append('%s/%s %.0f->%.0f' % (policy, seed, num(plain[(sc, policy, seed)], 'p999_ms'), num(h, 'p999_ms')))
    if gains:
        print('\n%s p99.9 not hedged -> hedged: %s' % (scenario, ', '.join(gains)))
