import csv,sys,statistics as st,collections
# cmp.py basedir(with all policies) cand1dir cand2dir ...
def load(d):
    R=collections.defaultdict(list)
    for r in csv.DictReader(open(d+'/all.csv')):
        R[(r['scenario'],r['policy'])].append(r)
    return R
def med(rows,k):
    v=[]
    for r in rows:
        x=r[k]
        if x in ('-',''): return float('nan')
        v.append(float(x) if x!='inf' else float('inf'))
    return st.median(v)
base=load(sys.argv[1]); cands=[(d,load(d)) for d in sys.argv[2:]]
scen=[]
for (s,p) in base:
    if s not in scen: scen.append(s)
others=['predictive','c3','p2c-peak-ewma']
print('%-26s %13s %13s | '%('scenario','base p99/999','orc')+' | '.join('%-34s'%d.split('/')[-1] for d,_ in cands))
for s in scen:
    b=base[(s,'pool-ewma')]; o=base[(s,'oracle')]
    bp,b9=med(b,'p99_ms'),med(b,'p999_ms'); op=med(o,'p99_ms')
    bestp=min(med(base[(s,q)],'p99_ms') for q in others if (s,q) in base)
    best9=min(med(base[(s,q)],'p999_ms') for q in others if (s,q) in base)
    line='%-26s %6.1f %6.1f %5.2fx| '%(s,bp,b9,bp/op)
    extra=''
    for d,c in cands:
        if (s,'pool-ewma') not in c: line+='%-34s | '%'-'; continue
        r=c[(s,'pool-ewma')]; p,p9=med(r,'p99_ms'),med(r,'p999_ms')
        f=med(r,'failed_pct'); rec=med(r,'recovery_s')
        flag=''
        if p>bp*1.02 or p9>b9*1.02: flag+='W'
        if p>1.2*op: flag+='O'
        if p>1.1*bestp or p9>1.1*best9: flag+='X'
        line+='%6.1f %+5.1f%% %6.1f %+5.1f%% %4.2fx %-3s| '%(p,100*(p/bp-1),p9,100*(p9/b9-1),p/op,flag)
        if f==f and f>0 or rec==rec: extra+=' [%s fail %.2f rec %s]'%(d.split('/')[-1],f,rec)
    bf=med(b,'failed_pct'); brec=med(b,'recovery_s')
    if extra: extra=' base fail %.2f rec %s;'%(bf,brec)+extra
    print(line+extra)
