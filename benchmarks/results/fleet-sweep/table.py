# Every policy in a FleetSweep output: how often within 1.2x of the oracle, the worst, how often beaten by another (README.md).
import sys,statistics
from sweep import load
rows=load(sys.argv[1])
pols=[k for k in rows[0][2] if k!='oracle']
print("| policy | p99 within 1.2x of the oracle | over 1.5x | more than 1% failed | median p99 / oracle | worst p99 / oracle (failed <= 1%) | median p99.9 / oracle | beaten by >10% at p99 or p99.9 by some other policy |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for d in pols:
    ok=[r for r in rows if r[2][d][2]<=1]
    w12=sum(1 for r in ok if r[2][d][0]<=1.2)
    o15=sum(1 for r in ok if r[2][d][0]>1.5)
    fl=len(rows)-len(ok)
    beaten=0
    for n,desc,p in ok:
        me=p[d]
        if any(k not in (d,'oracle') and v[2]<=1 and (me[0]>1.1*v[0] or me[1]>1.1*v[1]) for k,v in p.items()):
            beaten+=1
    print(f"| `{d}` | {w12} | {o15} | {fl} | {statistics.median(r[2][d][0] for r in ok):.2f} | {max(r[2][d][0] for r in ok):.2f} | {statistics.median(r[2][d][1] for r in ok):.2f} | {beaten} |")
