"""Recovery and failed % per scenario and policy over router streams: python3 summary.py streams.csv [more.csv]."""
import collections
import csv
import statistics
import sys


def load(path):
    runs = collections.defaultdict(list)
    for r in csv.DictReader(open(path)):
        if r['policy'] == 'oracle':
            continue
        recovery = 10**6 if r['recovery_s'] == 'never' else int(r['recovery_s'])
        runs[(r['scenario'], r['policy'])].append((recovery, float(r['failed_pct'])))
    return runs


files = sys.argv[1:]
data = [load(p) for p in files]
print('| scenario | policy | ' + ' | '.join('%s: recovery s, median (max); runs over 5 s; failed %%, median (max)' % p
                                          for p in files) + ' |')
print('|---|---|' + '---|' * len(files))
over = [0] * len(files)
for key in sorted(data[0]):
    cells = []
    for i, runs in enumerate(data):
        v = runs.get(key, [])
        rec = [x[0] for x in v]
        failed = [x[1] for x in v]
        n = sum(1 for x in rec if x > 5)
        over[i] += n
        show = lambda x: 'never' if x >= 10**6 else '%d' % x
        cells.append('%s (%s); %d of %d; %.2f (%.2f)' % (show(statistics.median(rec)), show(max(rec)), n, len(rec),
                                                        statistics.median(failed), max(failed)))
    print('| %s | %s | %s |' % (key[0], key[1], ' | '.join(cells)))
print()
print('runs over 5 s: ' + ', '.join('%s %d' % (p, n) for p, n in zip(files, over)))
