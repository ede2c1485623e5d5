"""Ejection on against ejection off, failed %, with router streams as a noise band (-Dsim.routerStream=N:
the same arrivals and work, other random picks). For every (scenario, policy, seed) where stream 0 with
ejection on fails more calls than stream 0 with it off, or where ejection on is above the band on its own,
prints every stream's on and off and says:
  beyond   - every ejection-on stream fails more than every ejection-off stream (on min > off max)
  within   - otherwise (some off stream fails as much as or more than some on stream)
The mean difference over streams (on - off, paired by stream) is printed too. The oracle is left out.

python3 band.py ON.csv,ON-stream-1.csv,... OFF.csv,OFF-stream-1.csv,...   (comma-separated, stream 0 first)"""
import csv, sys


def load(path):
    return {(r['scenario'], r['policy'], r['seed']): float(r['failed_pct'])
            for r in csv.DictReader(open(path)) if r['policy'] != 'oracle'}


ons = [load(p) for p in sys.argv[1].split(',')]
offs = [load(p) for p in sys.argv[2].split(',')]
rows = []
for key in sorted(ons[0]):
    on = [o[key] for o in ons if key in o]
    off = [o[key] for o in offs if key in o]
    if not off or len(on) != len(off):
        continue
    if on[0] <= off[0] and min(on) <= max(off):
        continue
    verdict = 'beyond' if min(on) > max(off) else 'within'
    mean = sum(a - b for a, b in zip(on, off)) / len(on)
    rows.append((verdict != 'beyond', -mean, key, on, off, verdict, mean))
rows.sort()
print('| scenario | policy | seed | on, streams 0/1/2 | off, streams 0/1/2 | stream 0 on - off | mean on - off | verdict |')
print('|---|---|---:|---|---|---:|---:|---|')
for _, _, (sc, pol, seed), on, off, verdict, mean in rows:
    print('| %s | %s | %s | %s | %s | %+.3f | %+.3f | %s |' % (sc, pol, seed, ' / '.join('%.3f' % v for v in on),
          ' / '.join('%.3f' % v for v in off), on[0] - off[0], mean, verdict))
n = len(ons[0])
print('\n%d of %d runs: stream 0 with ejection on fails more than off; %d beyond the band (on min > off max)'
      % (sum(1 for r in rows if r[3][0] > r[4][0]), n, sum(1 for r in rows if r[5] == 'beyond')))
