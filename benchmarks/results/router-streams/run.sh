#!/bin/bash
# The eight collapse scenarios, seed 42, on router streams 0-16, every policy; writes streams.csv here.
# From the repository's root, after: mvn -B -q -pl benchmarks -am -DskipTests -Dmaven.javadoc.skip=true package
# About 5 minutes on 2 cores. Optional arguments: run.sh [JAR] [OUT.csv] [LAST_STREAM] [POLICIES]
# (../issue-12t: run.sh JAR OUT.csv 56 pool-ewma,oracle, about 6 minutes).
set -e
here=$(dirname "$0")
jar=${1:-benchmarks/target/benchmarks.jar}
target=${2:-$here/streams.csv}
last=${3:-16}
policies=${4:+--policies $4}
out=$(mktemp -d)
for st in $(seq 0 "$last"); do
  java -Djava.util.logging.config.file=/dev/null -Dsim.routerStream=$st \
      -cp "$jar" io.smartqueryrouter.benchmarks.sim.SimulationSuite \
      --scenarios capacity-loss,capacity-loss-health,capacity-loss-dropping,correlated,correlated-dropping,retry-storm,retry-storm-health,retry-storm-dropping \
      $policies --out "$out/$st" --threads 2 > /dev/null
done
python3 - "$out" "$target" "$last" <<'PY'
import csv, sys
out, target, last = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows, header = [], None
for st in range(last + 1):
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
