#!/usr/bin/env bash
# Fuzz benchmark (hostile input): the transport fuzz tests (transport/src/test/java/io/ringcast/transport/fuzz/: frame
# decoder, control parser, UTF-8 and JSON validators, publish decision, ingest framing over loopback) with the same
# generators and reference checks as the normal test run, but CASES cases per fuzz loop instead of thousands; the
# ingest loops that open one connection per case open CASES / 200. Prints cases/s per loop. A failure names its
# case (fixed seeds: the same command replays it) and the script exits non-zero. See docs/hostile-inputs.md.
# Usage: bench/fuzz-bench.sh [CASES]   (default 2,000,000; about 5 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
CASES="${1:-2000000}"
echo "fuzz-bench: $CASES cases per fuzz loop; $(java -version 2>&1 | head -1), $(nproc) cpus"
mvn -B -o -q -pl transport test -Dtest='*FuzzTest' -Dsurefire.failIfNoSpecifiedTests=false -Dringcast.fuzz.cases="$CASES"
