#!/usr/bin/env bash
# Keep-alive benchmark: 1,000 requests, one after another on one kept-alive
# connection, to `plansite serve` on loopback, serving the test fixture site.
# Prints the median and 99th percentile latency. Target: under 2 ms median.
#
#   benches/keepalive_bench.sh               # 1,000 requests for /about/
#   benches/keepalive_bench.sh 5000 /        # N requests for another path
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
N=${1:-1000}
WHAT=${2:-/about/}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}

echo "Building plansite and the benchmark (release)…" >&2
cargo build --release --quiet --bin plansite --example serve_keepalive

echo "Machine: $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$TARGET/release/examples/serve_keepalive" "$TARGET/release/plansite" tests/fixtures/site "$N" "$WHAT"
