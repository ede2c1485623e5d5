"""Compares the default (pool-ewma) between two FleetSweep outputs: the counts of fleets within 1.2x of the oracle's p99,
over 1.5x, over 1% failed, and every fleet whose p99 or p99.9 ratio moved by more than 0.03 / 0.05 or failed share by more
than 0.02 points. python3 compare.py before.txt after.txt"""
import re,sys
def load(f, pol):
    out={}
    for line in open(f):
        if not line.startswith('sweep-'): continue
        name=line.split()[0]
        m=re.search(r'x (\d+) workers, (\d+) clients',line)
        res=dict((p,(float(a),float(b),float(fl))) for p,a,b,fl in re.findall(r'(\S+) ([\d.]+)/([\d.]+) ([\d.]+)%',line))
        out[name]=(int(m.group(1)),int(m.group(2)),res[pol],line)
    return out
a=load(sys.argv[1],'pool-ewma'); b=load(sys.argv[2],'pool-ewma')
def summ(d):
    ok=[v for v in d.values() if v[2][2]<=1]
    return 'within1.2 %d over1.5 %d failed>1%% %d anyfail %d failsum %.2f worst %.2f median %.3f'%(sum(1 for v in ok if v[2][0]<=1.2),sum(1 for v in ok if v[2][0]>1.5),sum(1 for v in d.values() if v[2][2]>1),sum(1 for v in d.values() if v[2][2]>0),sum(v[2][2] for v in d.values()),max(v[2][0] for v in ok),sorted(v[2][0] for v in ok)[len(ok)//2])
print('before', summ(a)); print('after ', summ(b))
for k in sorted(a, key=lambda x:int(x.split('-')[1])):
    x=a[k][2]; y=b[k][2]
    if abs(x[0]-y[0])>0.03 or abs(x[1]-y[1])>0.05 or abs(x[2]-y[2])>0.02:
        print('%-10s w%-2d c%-2d %.2f/%.2f %.2f%% -> %.2f/%.2f %.2f%%'%(k,a[k][0],a[k][1],x[0],x[1],x[2],y[0],y[1],y[2]))
