#!/usr/bin/env bash
# Hot-path micro-benchmarks (JMH, -prof gc): ring publish, journal append, fan-out encode+copy to 1,000 client
# buffers, ingest decode. Prints a table of ns/op and B/op and writes bench/results/jmh-<timestamp>.json.
# Usage: bench/run-jmh.sh [--quick] [benchmark regex]      (about 1.5 minutes; --quick about 40 s)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p bench/results
java $JVM_FLAGS -Dringcast.jvm.flags="$JVM_FLAGS" -cp "$CLASSPATH_TESTS" io.ringcast.bench.jmh.JmhMain \
    --json "bench/results/jmh-$STAMP.json" "$@"
