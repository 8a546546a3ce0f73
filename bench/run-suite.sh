#!/usr/bin/env bash
# Ringcast vs the baseline hub, every scenario of the benchmark issue, medians of repeated runs.
# Usage: bench/run-suite.sh [--quick] [--repeat N] [--duration S] [--warmup S] [--scenarios a,b,c,d,e,f]
#                           [--servers ringcast,baseline] [--out DIR] [--node-jvm "FLAGS"] [--report-only DIR] [--no-pin]
# Defaults: 3 repeats of 10 s (+2 s warm-up) per scenario and server, about 15-20 minutes; --quick: 1 repeat of 5 s,
# about 3-4 minutes. Writes bench/results/<UTC timestamp>/ (JSON per run, results.md, latency.png).
# Set RINGCAST_BENCH_NO_BUILD=1 to skip the mvn build.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
# 10,000 idle connections need as many descriptors in the load generator and in the server.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != "unlimited" ] && [ "$(ulimit -n)" -lt 20500 ]; then
    echo "bench: warning: ulimit -n is $(ulimit -n); scenario (d) opens 10,000 connections" >&2
fi
# Like the issue's reference figures: the load generator pinned to one core, the servers unpinned
# (--no-pin: everything unpinned).
PIN=(taskset -c 0)
NODE_CPUS="0-$(( $(grep -c ^processor /proc/cpuinfo) - 1 ))"
ARGS=()
for arg in "$@"; do
    if [ "$arg" = "--no-pin" ]; then PIN=(); NODE_CPUS=""; else ARGS+=("$arg"); fi
done
if [ ${#PIN[@]} -gt 0 ] && ! command -v taskset >/dev/null; then
    echo "bench: taskset not found (util-linux); running unpinned" >&2
    PIN=(); NODE_CPUS=""
fi
"${PIN[@]}" java $JVM_FLAGS -Xmx2g -Dringcast.jvm.flags="$JVM_FLAGS" -Dringcast.bench.command="bench/run-suite.sh $*" \
    -Dringcast.bench.nodeCpus="$NODE_CPUS" -cp "$CLASSPATH_TESTS" io.ringcast.bench.suite.BenchSuite --jar "$NODE_JAR" \
    "${ARGS[@]}"
