#!/usr/bin/env bash
# Replay benchmarks (issue 3): one node with a temporary journal grown to 1M then 10M messages of 100 B; time from
# subscribe(from=F) to the first replayed message at both sizes, replay throughput to one client, and the p99 of
# 100 live clients at 1,000 msg/s alone vs. while one more client replays the whole journal in a loop.
# Prints a summary table and writes bench/results/replay-<UTC timestamp>.json (or --json-out FILE).
# Usage: bench/replay-bench.sh [--quick] [ReplayBench flags, see ReplayBenchOptions]
#        (about 2-3 minutes plus the build; --quick: 200k/2M messages, 3 trials, one live round of 5 s, about 1 minute)
# Set RINGCAST_BENCH_NO_BUILD=1 to skip the mvn build.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p bench/results
OUT_ARGS=(--json-out "bench/results/replay-$STAMP.json")
for arg in "$@"; do
    if [ "$arg" = "--json-out" ]; then OUT_ARGS=(); fi
done
java $JVM_FLAGS -Xmx2g -Dringcast.jvm.flags="$JVM_FLAGS" -cp "$CLASSPATH_TESTS" io.ringcast.bench.replay.ReplayBench \
    --jar "${NODE_JAR:-$ROOT/engine/target/ringcast.jar}" "${OUT_ARGS[@]}" "$@"
