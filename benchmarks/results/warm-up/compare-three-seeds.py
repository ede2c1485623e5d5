import csv,sys,collections,statistics as st
def load(f):
    return { (r['scenario'],r['policy'],r['seed']):r for r in csv.DictReader(open(f))}
a=load(sys.argv[1]); b=load(sys.argv[2])
rows=collections.defaultdict(lambda: collections.defaultdict(dict))
for name,d in (('a',a),('b',b)):
    for k,r in d.items():
        rows[k[0]][name][(k[1],k[2])]=r
def ratio(r,o): return float(r['p99_ms'])/float(o['p99_ms'])
for sc in sorted(rows):
    out=[]
    for name in 'ab':
        d=rows[sc][name]
        seeds=sorted(set(s for p,s in d))
        rs=[];p999=[];fail=[];rec=[]
        for s in seeds:
            r=d.get(('pool-ewma',s)); o=d.get(('oracle',s))
            if not r or not o: continue
            rs.append(ratio(r,o)); p999.append(float(r['p999_ms'])); fail.append(float(r['failed_pct'])); rec.append(r['recovery_s'])
        if not rs: continue
        out.append(f"{st.median(rs):.3f} [{min(rs):.3f}-{max(rs):.3f}] p999 {st.median(p999):.1f} fail {st.median(fail):.2f} rec {'/'.join(rec)}")
    if len(out)==2 and out[0]!=out[1]:
        print(f"{sc:26s} {out[0]:60s} -> {out[1]}")
