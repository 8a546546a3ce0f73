#!/usr/bin/env bash
# Fuzz benchmark (issue 4, hostile input): millions of randomized cases per decoder from a fixed seed, each checked
# against a reference (WebSocket frame decoder, control-message parser, UTF-8 and JSON validators, the publish
# decision, ingest framing over loopback). Prints cases/s and every failure with the case number that replays it;
# exits 1 on any failure. See docs/hostile-inputs.md.
# Usage: bench/fuzz-bench.sh [--cases N] [--garbage-cases N] [--seed S] [--only a,b] [--replay NAME:CASE]
#        (default 2,000,000 cases per decoder; a few minutes on 2 cores)
# Set RINGCAST_BENCH_NO_BUILD=1 to skip the mvn build.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
java $JVM_FLAGS -cp "$CLASSPATH_TESTS" io.ringcast.bench.FuzzBench "$@"
