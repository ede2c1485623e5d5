# bash benchmarks/results/issue-12t/streams.sh JAR OUT.csv (from the repository root; about 8 minutes): pool-ewma, eight collapse scenarios, seed 42, router streams 0-56
set -e
out=$(mktemp -d)
for st in $(seq 0 56); do
  java -Djava.util.logging.config.file=/dev/null -Dsim.routerStream=$st -cp $1 io.smartqueryrouter.benchmarks.sim.SimulationSuite \
      --scenarios capacity-loss,capacity-loss-health,capacity-loss-dropping,correlated,correlated-dropping,retry-storm,retry-storm-health,retry-storm-dropping \
      --policies pool-ewma,oracle --out "$out/$st" --threads 2 > /dev/null
done
python3 - "$out" "$2" <<'PY'
import csv, sys
out, target = sys.argv[1], sys.argv[2]
rows, header = [], None
for st in range(57):
    with open('%s/%d/all.csv' % (out, st)) as f:
        r = csv.reader(f)
        header = next(r) + ['router_stream']
        rows += [row + [str(st)] for row in r]
with open(target, 'w', newline='') as f:
    w = csv.writer(f)
    w.writerow(header)
    w.writerows(rows)
PY
rm -rf "$out"
