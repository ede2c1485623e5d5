# One policy in a FleetSweep output by trouble and by client count (README.md).
import re,sys,statistics,collections
from sweep import load
d=sys.argv[2]
g=collections.defaultdict(list)
for name,desc,pol in load(sys.argv[1]):
    t=desc.split('; ')[-1]
    k='none' if t=='none' else 'slow nodes' if 'slow' in t else 'mixed speeds' if 'speeds' in t else 'flapping' if 'flapping' in t else 'pauses'
    clients=int(re.search(r'(\d+) clients',desc).group(1))
    g[k].append(pol[d]); g['clients '+('1-2' if clients<=2 else '10-50')].append(pol[d])
print("| trouble | scenarios | median p99 / oracle | worst | over 1.2x | more than 1% failed |")
print("|---|---:|---:|---:|---:|---:|")
for k,v in g.items():
    ok=[x for x in v if x[2]<=1]
    print(f"| {k} | {len(v)} | {statistics.median(x[0] for x in ok):.2f} | {max(x[0] for x in ok):.2f} | {sum(1 for x in ok if x[0]>1.2)} | {len(v)-len(ok)} |")
