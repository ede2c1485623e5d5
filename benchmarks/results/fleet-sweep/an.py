# One policy in a FleetSweep output: the scenarios over 1.2x, those failing over 1%, those another policy wins by >10%.
import sys
from sweep import load
rows=load(sys.argv[1])
d=sys.argv[2] if len(sys.argv)>2 else 'pool-ewma'
print(f"{len(rows)} scenarios, policy {d}")
over=[r for r in rows if r[2][d][2]<=1 and r[2][d][0]>1.2]
print(f"p99 > 1.2x oracle (failed <= 1%): {len(over)}")
for n,desc,p in sorted(over,key=lambda r:-r[2][d][0]):
    others=sorted(((v[0],k) for k,v in p.items() if k not in (d,'oracle')))
    print(f"  {n} [{desc}] {d} {p[d][0]:.2f}/{p[d][1]:.2f}  best other {others[0][1]} {others[0][0]:.2f}")
fl=[r for r in rows if r[2][d][2]>1]
print(f"failed > 1%: {len(fl)}")
for n,desc,p in fl:
    print(f"  {n} [{desc}] {d} failed {p[d][2]:.2f}% oracle {p['oracle'][2]:.2f}%  min other {min(v[2] for k,v in p.items() if k not in (d,'oracle')):.2f}%")
print("worse than another policy by >10% at p99 or p99.9 (both failed <= 1%):")
c=0
for n,desc,p in rows:
    me=p[d]
    if me[2]>1: continue
    for k,v in p.items():
        if k in (d,'oracle') or v[2]>1: continue
        if me[0]>1.1*v[0] or me[1]>1.1*v[1]:
            c+=1
            print(f"  {n} [{desc}] {d} {me[0]:.2f}/{me[1]:.2f} vs {k} {v[0]:.2f}/{v[1]:.2f}")
print("count",c)
import statistics
print("median p99 ratio", statistics.median(r[2][d][0] for r in rows), "max", max(r[2][d][0] for r in rows if r[2][d][2]<=1))
