"""Hedged against the band of not-hedged runs: every (scenario, policy, seed) whose hedged p99 or p99.9
exceeds every not-hedged run given (router streams 0, 1, 2: the same arrivals and work, other random picks)
by more than the tolerance; the oracle and the *-hedged scenarios (their plain scenario again under
--hedge on|off) are left out. A run missing from a stream file is judged on the others.

python3 band.py hedged.csv TOLERANCE not-hedged.csv [not-hedged-stream-1.csv ...]"""
import csv, sys
def load(p): return {(r['scenario'],r['policy'],r['seed']):r for r in csv.DictReader(open(p)) if r['policy'] != 'oracle' and not r['scenario'].endswith('-hedged')}
hed=load(sys.argv[1]); tol=float(sys.argv[2]); offs=[load(p) for p in sys.argv[3:]]
rows=[]; beyond0=0
for k,h in hed.items():
    for f in ('p99_ms','p999_ms'):
        vals=[float(o[k][f]) for o in offs if k in o]
        top=max(vals); y=float(h[f])
        if y>float(offs[0][k][f])*(1+tol): beyond0+=1
        if y>top*(1+tol): rows.append((y/top,k,f,vals,y,h['hedges'],h['failed_pct']))
rows.sort(reverse=True)
for r in rows: print('%.3f %s %s not-hedged %s hedged %.1f hedges %s failed %s'%(r[0],r[1],r[2],r[3],r[4],r[5],r[6]))
print(len(rows),'beyond the whole band;',beyond0,'beyond stream 0 alone; of',len(hed)*2)
