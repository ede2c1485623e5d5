# Per workers per server: the fleets where each policy's p99 is over 1.2x the oracle's (<= 1% failed), and where every policy is (README.md).
import sys
from sweep import load
rows = load(sys.argv[1])
pols = ['pool-ewma', 'predictive', 'c3', 'lowest-latency', 'p2c-peak-ewma', 'least-in-flight']
print("| workers per server | fleets | " + " | ".join(f"`{p}`" for p in pols) + " | every policy |")
print("|---:|---:|" + "---:|" * (len(pols) + 1))
for w in ['1', '2', '4', '8', '16']:
    sel = [r for r in rows if r[1].split(' x ')[1].split(' workers')[0] == w]
    cells = [str(sum(1 for r in sel if r[2][p][2] <= 1 and r[2][p][0] > 1.2)) for p in pols]
    every = sum(1 for r in sel if min([v[0] for k, v in r[2].items() if k != 'oracle' and v[2] <= 1] or [99]) > 1.2)
    print(f"| {w} | {len(sel)} | " + " | ".join(cells) + f" | {every} |")
