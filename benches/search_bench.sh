#!/usr/bin/env bash
# Search benchmark (figures, not a timed test): builds the synthetic corpus of
# decision notices and prints the search index's size and what a browser
# fetches per query.
#
#   benches/search_bench.sh                       # 10,000 records, default queries
#   benches/search_bench.sh --n 1000 --bin target/release/plansite
#   benches/search_bench.sh --queries "police;custody;1/2010"
#
# Options (or the environment variables in brackets):
#   --n N            corpus size                                  [N, 10000]
#   --bin PATH       plansite binary; default: `cargo build --release`  [PLANSITE]
#   --queries "a;b"  queries, separated by semicolons               [QUERIES]
#
# The corpus comes from benches/gen_corpus.py (a copy of
# ../shared/bench/gen_corpus.py) with benches/corpus-site.yaml as its
# content/site.yaml, cached under $CARGO_TARGET_DIR (or target/) in
# search-bench-corpus/N until the generator or the site file changes.
#
# Per query, tests/search/query.cjs runs the real client (search.js) on a
# cold cache against the built files and records every file it reads: the
# manifest, the term shard(s) and the fragment files for the first page of
# results. Bytes are gzip (node's zlib, level 6, as a server would send
# them); the total adds search.js itself. Target: under 100 kB for a
# one-word query at 10,000 records (PRODUCT.md).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
N=${N:-10000}
BIN=${PLANSITE:-}
QUERIES=${QUERIES:-"police;commissioner;custody;knife;fenwick;burglary;domestic abuse;1/2010;£2,320,000"}

while [ $# -gt 0 ]; do
    case $1 in
        --n) N=$2; shift 2 ;;
        --bin) BIN=$2; shift 2 ;;
        --queries) QUERIES=$2; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "search_bench: unknown argument $1" >&2; exit 3 ;;
    esac
done

command -v python3 >/dev/null || { echo "search_bench: python3 is needed to generate the corpus" >&2; exit 2; }
command -v node >/dev/null || { echo "search_bench: node is needed to run the search client" >&2; exit 2; }

TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
if [ -z "$BIN" ]; then
    cargo build --release --quiet
    BIN=$TARGET/release/plansite
fi

CORPUS=$TARGET/search-bench-corpus/$N
STAMP="$(cksum < benches/gen_corpus.py) $(cksum < benches/corpus-site.yaml) $N"
if [ ! -f "$CORPUS/.stamp" ] || [ "$(cat "$CORPUS/.stamp")" != "$STAMP" ]; then
    echo "Generating the corpus at $N records…" >&2
    rm -rf "$CORPUS"
    mkdir -p "$(dirname "$CORPUS")"
    python3 benches/gen_corpus.py --format plain --n "$N" --out "$CORPUS" >/dev/null
    cp benches/corpus-site.yaml "$CORPUS/content/site.yaml"
    echo "$STAMP" > "$CORPUS/.stamp"
fi

OUT=$(mktemp -d "${TMPDIR:-/tmp}/plansite-search-bench.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
echo "Building $N records with $BIN…" >&2
"$BIN" build --root "$CORPUS" --output "$OUT/public"

IFS=';' read -r -a QS <<< "$QUERIES"
node tests/search/query.cjs "$OUT/public" "${QS[@]}" > "$OUT/queries.json"

node - "$OUT/public" "$OUT/queries.json" "$N" <<'JS'
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const [site, queriesFile, n] = process.argv.slice(2);
const files = [];
(function walk(d) {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p); else if (e.name.endsWith('.json')) files.push([path.relative(site, p), fs.statSync(p).size]);
  }
})(path.join(site, 'search'));
files.sort((a, b) => b[1] - a[1]);
const total = files.reduce((s, f) => s + f[1], 0);
const kB = (b) => (b / 1000).toFixed(1) + ' kB';
const js = fs.readdirSync(site).find((f) => /^search\.[0-9a-f]+\.js$/.test(f) || f === 'search.js');
const jsBytes = fs.readFileSync(path.join(site, js));
const jsGz = zlib.gzipSync(jsBytes).length;
const manifest = fs.readFileSync(path.join(site, 'search', 'manifest.json'));
console.log(`\nSearch index at ${n} records: ${files.length} files, ${kB(total)} (${total} bytes) uncompressed`);
console.log(`  largest file   ${files[0][0]}  ${kB(files[0][1])}`);
console.log(`  manifest       ${kB(manifest.length)}, ${kB(zlib.gzipSync(manifest).length)} gzip`);
console.log(`  client         ${js}  ${kB(jsBytes.length)}, ${kB(jsGz)} gzip\n`);
const rows = JSON.parse(fs.readFileSync(queriesFile, 'utf8'));
const pad = (s, w) => String(s).padEnd(w);
const lpad = (s, w) => String(s).padStart(w);
console.log(`${pad('query', 18)}${lpad('results', 9)}${lpad('files', 7)}${lpad('index gz', 11)}${lpad('+ client', 11)}  under 100 kB`);
for (const r of rows) {
  const gz = r.fetched.reduce((s, f) => s + f.gzip, 0);
  const all = gz + jsGz;
  const count = (r.cut ? '≥' : '') + r.count;
  console.log(`${pad(r.query, 18)}${lpad(count, 9)}${lpad(r.fetched.length + 1, 7)}${lpad(kB(gz), 11)}${lpad(kB(all), 11)}  ${all < 100000 ? 'yes' : 'NO'}`);
}
JS
