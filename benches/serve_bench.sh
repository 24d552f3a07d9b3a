#!/usr/bin/env bash
# Serve benchmark: time from saving one record to the reload event on the
# event stream of `plansite serve`, on the synthetic corpus of decision
# notices (10,000 by default). Target: under 100 ms.
#
#   benches/serve_bench.sh              # 10,000 records, 20 edits
#   benches/serve_bench.sh 1000 10      # N records, EDITS edits
#
# The corpus comes from benches/gen_corpus.py (a copy of
# ../shared/bench/gen_corpus.py) with benches/corpus-site.yaml as its
# site.yaml, cached under target/bench-corpus/serve-N. Each edit appends a
# line to a different decision, saved through a temporary file and a
# rename as editors do; benches/../examples/serve_latency.rs measures and
# prints each edit with serve's own per-step timings, then the median.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
N=${1:-10000}
EDITS=${2:-20}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
DIR=$TARGET/bench-corpus/serve-$N
GEN=$ROOT/benches/gen_corpus.py

echo "Building plansite and the benchmark (release)…" >&2
cargo build --release --quiet --bin plansite --example serve_latency

stamp=$(cat "$GEN" benches/corpus-site.yaml | sha256sum | cut -c1-16)-$N
if [ "$(cat "$DIR.stamp" 2>/dev/null)" != "$stamp" ]; then
    echo "Generating the corpus at $N records…" >&2
    rm -f "$DIR.stamp"
    python3 "$GEN" --format plain --n "$N" --out "$DIR" --force
    cp benches/corpus-site.yaml "$DIR/content/site.yaml"
    # The generator writes ordered lists inside decisions that restart at
    # 1, which plansite reads as numbered paragraphs given twice (an error,
    # as it should be for real notices). The benchmark needs a corpus that
    # builds, so those lists become bullet lists: same text, same size.
    find "$DIR/content/decisions" -name '*.md' -print0 |
        xargs -0 sed -i -E 's/^[0-9]+\. /- /'
    echo "$stamp" > "$DIR.stamp"
fi
rm -rf "$DIR/public"

echo "Machine: $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg) (other work skews timings)"
"$TARGET/release/examples/serve_latency" "$TARGET/release/plansite" "$DIR" "$EDITS"
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
