import csv, sys, statistics as st
def load(f):
    d = {}
    for r in csv.DictReader(open(f)):
        d[(r['scenario'], r['policy'], r['seed'])] = r
    return d
A, B = load(sys.argv[1]), load(sys.argv[2])
pol = sys.argv[3] if len(sys.argv) > 3 else 'pool-ewma'
scen = sorted({k[0] for k in A if k[1] == pol})
print(f"{'scenario':28s} {'A p99/or':>16s} {'B p99/or':>16s} {'A p999':>8s} {'B p999':>8s} {'A fail':>6s} {'B fail':>6s} {'A rec':>5s} {'B rec':>5s}")
for s in scen:
    ks = [k for k in A if k[0] == s and k[1] == pol]
    def col(D, c):
        v = []
        for k in ks:
            if k in D:
                try: v.append(float(D[k][c]))
                except: v.append(float('nan') if D[k][c] in ('-','never','') else D[k][c])
        return v
    def fmt(v):
        v = [x for x in v if isinstance(x, float)]
        return f"{st.median(v):.3f}[{min(v):.2f}-{max(v):.2f}]" if v else '-'
    def med(v):
        v=[x for x in v if isinstance(x,float)]
        return f"{st.median(v):.1f}" if v else '-'
    ra = [A[k]['recovery_s'] for k in ks]; rb = [B[k]['recovery_s'] for k in ks if k in B]
    print(f"{s:28s} {fmt(col(A,'p99_over_oracle_p99')):>16s} {fmt(col(B,'p99_over_oracle_p99')):>16s} {med(col(A,'p999_ms')):>8s} {med(col(B,'p999_ms')):>8s} {med(col(A,'failed_pct')):>6s} {med(col(B,'failed_pct')):>6s} {'/'.join(ra):>5s} {'/'.join(rb):>5s}")
