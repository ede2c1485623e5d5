"""pool-ewma in two or more SimulationSuite all.csv files side by side, per scenario and seed: failed % / recovery s
where more than 1% of calls failed, else p99 / oracle p99 and p99.9 in ms.
python3 compare.py before-seed42.csv after-seed42.csv [more.csv ...]"""
import csv
import sys


def load(path):
    return {(r['scenario'], r['seed']): r for r in csv.DictReader(open(path)) if r['policy'] == 'pool-ewma'}


def cell(r):
    if float(r['failed_pct']) > 1:
        return '%.2f%% / %s s' % (float(r['failed_pct']), r['recovery_s'])
    return '%.3f / %.1f' % (float(r['p99_over_oracle_p99']), float(r['p999_ms']))


files = [load(p) for p in sys.argv[1:]]
print('| scenario / seed | ' + ' | '.join(sys.argv[1:]) + ' |')
print('|---|' + '---:|' * len(files))
for key in sorted(files[0]):
    if all(key in f for f in files):
        print('| %s / %s | %s |' % (key[0], key[1], ' | '.join(cell(f[key]) for f in files)))
