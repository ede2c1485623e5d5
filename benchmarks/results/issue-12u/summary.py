"""Before / after for one policy (default lowest-latency): recovery s per seed and failed % per scenario for the
collapse runs, p99 / oracle p99 and p99.9 (median [min-max] over seeds) for the rest.
python3 summary.py before.csv after.csv [policy]"""
import csv
import statistics
import sys

policy = sys.argv[3] if len(sys.argv) > 3 else 'lowest-latency'


def load(path):
    out = {}
    for r in csv.DictReader(open(path)):
        if r['policy'] == policy:
            out.setdefault(r['scenario'], {})[r['seed']] = r
    return out


def spread(values, fmt):
    values = sorted(values)
    med = statistics.median(values)
    return (fmt % med) if values[0] == values[-1] else '%s [%s-%s]' % (fmt % med, fmt % values[0], fmt % values[-1])


before, after = load(sys.argv[1]), load(sys.argv[2])
print('| scenario | before | after |')
print('|---|---|---|')
for scenario in before:
    b, a = before[scenario], after.get(scenario, {})
    seeds = list(b)
    if b[seeds[0]]['recovery_s'] != '-':
        def cell(runs):
            return '%s%% failed, recovery %s s' % (spread([float(runs[s]['failed_pct']) for s in seeds], '%.2f'),
                                                   ' / '.join(runs[s]['recovery_s'] for s in seeds))
    else:
        def cell(runs):
            return '%sx, p99.9 %s ms' % (spread([float(runs[s]['p99_over_oracle_p99']) for s in seeds], '%.2f'),
                                         spread([float(runs[s]['p999_ms']) for s in seeds], '%.1f'))
    print('| %s (seeds %s) | %s | %s |' % (scenario, ', '.join(seeds), cell(b), cell(a)))
