#!/bin/bash
# The eight collapse scenarios, every policy, seed 42, on router streams 0-16; writes streams.csv here.
# From the repository's root, after: mvn -B -q -pl benchmarks -am -DskipTests -Dmaven.javadoc.skip=true package
# About 5 minutes on 2 cores.
set -e
out=$(mktemp -d)
here=$(dirname "$0")
for st in $(seq 0 16); do
  java -Djava.util.logging.config.file=/dev/null -Dsim.routerStream=$st \
      -cp benchmarks/target/benchmarks.jar io.smartqueryrouter.benchmarks.sim.SimulationSuite \
      --scenarios capacity-loss,capacity-loss-health,capacity-loss-dropping,correlated,correlated-dropping,retry-storm,retry-storm-health,retry-storm-dropping \
      --out "$out/$st" --threads 2 > /dev/null
done
python3 - "$out" "$here/streams.csv" <<'PY'
import csv, sys
out, target = sys.argv[1], sys.argv[2]
rows, header = [], None
for st in range(17):
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
