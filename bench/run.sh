#!/usr/bin/env bash
# The one benchmark command: builds the benchmark jar, then runs io.mirrorsensor.bench.BenchRun,
# which generates (once, cached in bench-out/) or reuses the inputs, replays them through
# mirrorsensor and the peers on PATH (tshark, tcpdump, Suricata, Snort) in the same run, measures
# memory per flow, the live zero-loss rate and every JMH suite with -prof gc, and rewrites the
# generated parts of docs/BENCHMARKS.md, the plots in docs/bench/ and docs/bench/history.csv.
#
#   bench/run.sh            full run (about 15 minutes on a quiet 2-core machine)
#   bench/run.sh --quick    smoke check in about a minute: 2 MB input, one run, no rules, no JMH;
#                           writes bench-out/quick/BENCHMARKS.md, leaves docs/ alone
#   bench/run.sh --runs 5 --no-jmh --no-live --no-memory --no-large --no-history ...
#
# Needs no network: peers that are not installed are skipped and named in the output. To
# install them on Debian: apt-get install tshark tcpdump; Suricata is in bookworm-backports.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jar=bench/target/benchmarks.jar
echo "bench/run.sh: building $jar" >&2
if ! ./mvnw -B -o -q package -DskipTests -pl bench -am >/tmp/mirrorsensor-bench-build.log 2>&1; then
  # offline failed (a dependency not yet in ~/.m2): try once with the network
  ./mvnw -B -q package -DskipTests -pl bench -am >/tmp/mirrorsensor-bench-build.log 2>&1 || {
    cat /tmp/mirrorsensor-bench-build.log >&2
    exit 1
  }
fi
exec java ${MIRRORSENSOR_BENCH_JAVA_OPTS:-} -cp "$jar" io.mirrorsensor.bench.BenchRun "$@"
