import csv,sys,collections
# share by server speed class for heterogeneous-50 (speeds by index % 5: 1,1,2,3,4)
sp=[1,1,2,3,4]
for f in sys.argv[1:]:
    for r in csv.DictReader(open(f)):
        if r['scenario']!='heterogeneous-50': continue
        a=list(map(int,r['attempts_per_server'].split()))
        t=sum(a); c=collections.Counter()
        for i,x in enumerate(a): c[i%5]+=x
        print(f.split('/')[-2], r['policy'], r['seed'], ' '.join('%.1f'%(100*c[k]/t) for k in range(5)))
