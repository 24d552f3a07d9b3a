#!/usr/bin/env bash
# Bounded-work benchmark: how long `plansite build` takes on pathological
# pages, to show per-page work grows linearly. The fixture site gets one page
# of N identical headings and one page of a table of M rows; the build is
# timed at each size so the growth can be read off (doubling N should about
# double the time, not multiply it by eight as the old unique-id loop did).
#
#   benches/bounded_bench.sh                       # headings 5000 10000 20000 40000, rows 100000
#   benches/bounded_bench.sh --headings "20000" --rows "100000 200000"
#   benches/bounded_bench.sh --bin target/debug/plansite
#
# Options:
#   --headings "N …"  sizes of the repeated-heading page     [HEADINGS]
#   --rows "M …"      sizes of the long-table page           [ROWS]
#   --bin PATH        plansite binary; default: `cargo build --release` and
#                     $CARGO_TARGET_DIR (or target)/release/plansite [PLANSITE]
#
# Needs python3 (to write the pages). Each size is one cold build of the
# fixture site plus the page; the figure printed is the wall time of the
# whole build in seconds, fixture included (about 0.1 s of it).
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
HEADINGS="${HEADINGS:-5000 10000 20000 40000}"
ROWS="${ROWS:-100000}"
PLANSITE="${PLANSITE:-}"
while [ $# -gt 0 ]; do
  case "$1" in
    --headings) HEADINGS="$2"; shift 2 ;;
    --rows) ROWS="$2"; shift 2 ;;
    --bin) PLANSITE="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [ -z "$PLANSITE" ]; then
  (cd "$here" && cargo build --release --quiet --bin plansite)
  PLANSITE="${CARGO_TARGET_DIR:-$here/target}/release/plansite"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# time_build KIND SIZE: copies the fixture, adds the page, builds, prints.
time_build() {
  local kind="$1" size="$2" site="$work/site-$1-$2"
  rm -rf "$site" "$work/out"
  cp -r "$here/tests/fixtures/site" "$site"
  python3 - "$kind" "$size" "$site/content/pages/bench.md" <<'PY'
import sys
kind, size, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(path, "w") as f:
    f.write("---\nid: bench\ntitle: Bench\n---\n")
    if kind == "headings":
        for _ in range(size):
            f.write("## How we will measure success\n\nText.\n\n")
    else:
        f.write("| Row | Value |\n|---|--:|\n")
        for i in range(size):
            f.write(f"| row {i} | {i * 7} |\n")
PY
  local start end
  start=$(date +%s.%N)
  "$PLANSITE" build --root "$site" --output "$work/out" > /dev/null 2>&1
  end=$(date +%s.%N)
  awk -v k="$kind" -v n="$size" -v a="$start" -v b="$end" 'BEGIN { printf "%-9s %8d  %6.2f s\n", k, n, b - a }'
}

echo "page      size      build"
for n in $HEADINGS; do time_build headings "$n"; done
for m in $ROWS; do time_build rows "$m"; done
