#!/usr/bin/env bash
# Build benchmark, measured the way a user builds: delete the output, run
# the tool, wait for it to exit. A synthetic corpus of decision notices
# (600-1,200 words each) at 1,000 and 10,000 records, built by plansite and,
# when `hugo` is installed, by Hugo with the generator's minimal templates,
# the two interleaved (plansite, Hugo, plansite, Hugo, …) in one run.
#
#   benches/build_bench.sh                       # 1,000 and 10,000 records, 3 runs each
#   benches/build_bench.sh --sizes 1000 --runs 1 --no-hugo
#
# Options (or the environment variables in brackets):
#   --sizes "N …"   corpus sizes                                     [SIZES]
#   --runs R        timed builds per tool, size and disk; medians    [RUNS]
#   --hugo auto|yes|no  compare with Hugo (auto: if on PATH)         [HUGO]
#   --no-hugo       same as --hugo no
#   --no-tmpfs      skip the second pass with the output on tmpfs
#   --bin PATH      plansite binary to time; default: `cargo build
#                   --release` (untimed) and $CARGO_TARGET_DIR (or
#                   target)/release/plansite                          [PLANSITE]
#   --keep          keep the corpora and the last outputs
#   (BENCH_DIR)     where the corpora are made; default target/bench-corpus
#
# Each size's corpus is generated once per run of this script with
# `gen_corpus.py --format plain` (and `--format hugo` for Hugo), from
# ../shared/bench/gen_corpus.py when it exists, else its byte-identical copy
# benches/gen_corpus.py (tests/corpus.rs keeps the two equal), with
# benches/corpus-site.yaml as the plain corpus's content/site.yaml.
#
# Every timed run: the tool's output folder is deleted and `sync` run (not
# timed; nothing is set aside to be deleted later, so a run pays for the
# disk state the previous run left, as a user's next build does), then the
# whole process is timed by GNU time: wall time, user+sys CPU time and peak
# RSS. Two passes: the output in the corpus folder (the same disk as the
# corpus, for both tools), then the output on tmpfs (/dev/shm), which takes
# the disk out and leaves CPU. Per tool and pass the script prints the
# medians, the bytes and files written (`du -sb`, `find -type f | wc -l`)
# and plansite's wall time as a fraction of Hugo's; for plansite also its
# own phases (`--timings`) in every run. The source files are in the page
# cache after corpus generation, for both tools alike.
#
# Needs python3, GNU time (/usr/bin/time: `apt-get install time`) and, for
# the comparison, hugo (`apt-get install hugo`). Figures from a machine
# that is doing other work are skewed: the load average is printed before
# and after each pass.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
SIZES=${SIZES:-"1000 10000"}
RUNS=${RUNS:-3}
HUGO=${HUGO:-auto}
BIN=${PLANSITE:-}
TMPFS=1
KEEP=0
CACHE=${BENCH_DIR:-$ROOT/target/bench-corpus}
SITE_YAML=$ROOT/benches/corpus-site.yaml
GEN=$ROOT/../shared/bench/gen_corpus.py
[ -f "$GEN" ] || GEN=$ROOT/benches/gen_corpus.py

while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) SIZES=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --hugo) HUGO=$2; shift 2 ;;
        --no-hugo) HUGO=no; shift ;;
        --no-tmpfs) TMPFS=0; shift ;;
        --bin) BIN=$2; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
done

die() { echo "build_bench: $*" >&2; exit 1; }
command -v python3 >/dev/null || die "python3 is needed to generate the corpus (apt-get install python3)"
[ -x /usr/bin/time ] || die "GNU time (/usr/bin/time) is needed for CPU time and peak RSS; install it with: apt-get install time"
case "$RUNS" in ''|*[!0-9]*|0) die "--runs takes a whole number above 0" ;; esac
case "$HUGO" in
    auto) if command -v hugo >/dev/null; then HUGO=yes; else HUGO=no; fi ;;
    yes) command -v hugo >/dev/null || die "hugo is not on PATH (apt-get install hugo)" ;;
    no) ;;
    *) die "--hugo takes auto, yes or no" ;;
esac
if [ "$TMPFS" = 1 ] && [ ! -d /dev/shm ]; then
    echo "build_bench: no /dev/shm; skipping the tmpfs pass" >&2
    TMPFS=0
fi

if [ -z "$BIN" ]; then
    echo "Building plansite (cargo build --release; not timed)…" >&2
    cargo build --release --quiet --bin plansite
    BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/plansite
fi
[ -x "$BIN" ] || die "no plansite binary at $BIN"

TMP=$(mktemp -d)
SHM=
if [ "$TMPFS" = 1 ]; then SHM=$(mktemp -d /dev/shm/build-bench.XXXXXX); fi
cleanup() {
    rm -rf "$TMP"
    if [ -n "$SHM" ] && [ "$KEEP" = 0 ]; then rm -rf "$SHM"; fi
}
trap cleanup EXIT
mkdir -p "$CACHE"

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null | head -1)
echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) memory"
echo "plansite: $("$BIN" --version), commit $commit${dirty:+ (with uncommitted changes)}, $BIN"
if [ "$HUGO" = yes ]; then
    echo "hugo: $(hugo version | cut -d' ' -f1-2)"
else
    echo "hugo: not compared (not installed, or --no-hugo)"
fi
echo "generator: $GEN"
echo "$RUNS timed runs per tool, size and disk; the load average is the 1, 5 and 15 minute figure"

median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# corpus FORMAT N → generates the corpus (once per run of this script).
corpus() {
    local format=$1 n=$2 dir="$CACHE/$1-$2"
    echo "Generating the $format corpus at $n records…" >&2
    python3 "$GEN" --format "$format" --n "$n" --out "$dir" --force >&2
    if [ "$format" = plain ]; then cp "$SITE_YAML" "$dir/content/site.yaml"; fi
}

# timed RECORD CMD… : runs CMD under GNU time; appends "wall_ms cpu_ms rss_kib"
# to RECORD and leaves the command's stdout in $TMP/stdout.
timed() {
    local record=$1; shift
    local status=0
    /usr/bin/time -v -o "$TMP/time" "$@" > "$TMP/stdout" 2> "$TMP/stderr" || status=$?
    if [ "$status" != 0 ]; then
        echo "build_bench: FAILED (exit $status): $*" >&2
        head -n 60 "$TMP/stderr" >&2
        exit 1
    fi
    awk '
        /Elapsed \(wall clock\) time/ {
            n = split($NF, p, ":"); w = 0
            for (i = 1; i <= n; i++) w = w * 60 + p[i]
        }
        /User time \(seconds\)/ {u = $NF}
        /System time \(seconds\)/ {s = $NF}
        /Maximum resident set size/ {r = $NF}
        END {printf "%.0f %.0f %d\n", w * 1000, (u + s) * 1000, r}' "$TMP/time" >> "$record"
}

# written DIR → "DU_BYTES FILES FILE_BYTES" of the output folder: `du -sb`
# (folders included, so it differs between file systems), the file count,
# and the files' own bytes.
written() {
    echo "$(du -sb "$1" | cut -f1) $(find "$1" -type f | wc -l) $(find "$1" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')"
}

# summary TOOL N PASS RECORD "BYTES FILES" → one line per tool.
summary() {
    local tool=$1 n=$2 pass=$3 record=$4 out=$5 wall cpu rss
    wall=$(cut -d' ' -f1 "$record" | median)
    cpu=$(cut -d' ' -f2 "$record" | median)
    rss=$(cut -d' ' -f3 "$record" | median)
    echo "$tool $n $pass $wall $cpu $rss $out" >> "$TMP/summary"
    awk -v t="$tool" -v w="$wall" -v c="$cpu" -v r="$rss" -v o="$out" -v runs="$(cut -d' ' -f1 "$record" | tr '\n' ' ')" 'BEGIN {
        split(o, x, " ")
        printf "  %-9s wall %6.2f s  CPU %6.2f s  peak RSS %5.0f MiB  written %6.1f MB (du -sb; files %6.1f MB) in %6d files  (walls, ms: %s)\n",
            t, w / 1000, c / 1000, r / 1024, x[1] / 1e6, x[3] / 1e6, x[2], runs }'
}

for n in $SIZES; do
    corpus plain "$n"
    pdir=$CACHE/plain-$n
    hdir=
    if [ "$HUGO" = yes ]; then corpus hugo "$n"; hdir=$CACHE/hugo-$n; fi
    passes="disk"
    if [ "$TMPFS" = 1 ]; then passes="disk tmpfs"; fi
    for pass in $passes; do
        if [ "$pass" = disk ]; then
            pout=$pdir/public
            hout=$hdir/public
        else
            pout=$SHM/plain-$n/public
            hout=$SHM/hugo-$n/public
        fi
        printf '\n== %s records, output %s; load average before: %s ==\n' "$n" \
            "$([ "$pass" = disk ] && echo "in the corpus folder ($(df --output=fstype "$pdir" | tail -1))" || echo "on tmpfs (/dev/shm)")" "$(loadavg)"
        : > "$TMP/p.runs"; : > "$TMP/h.runs"; : > "$TMP/phases"
        for run in $(seq 1 "$RUNS"); do
            rm -rf "$pout" "$(dirname "$pout")"/.public.new-*
            mkdir -p "$(dirname "$pout")"
            sync
            timed "$TMP/p.runs" "$BIN" build --root "$pdir" --output "$pout" --timings
            awk -v run="$run" 'NF == 3 && $3 == "ms" {print run, $1, $2}' "$TMP/stdout" >> "$TMP/phases"
            grep '^Built' "$TMP/stdout" > "$TMP/built" || true
            if [ -n "$hdir" ]; then
                rm -rf "$hout" "$hdir/resources" "$hdir/.hugo_build.lock"
                mkdir -p "$(dirname "$hout")"
                sync
                timed "$TMP/h.runs" hugo --source "$hdir" --destination "$hout" --quiet
            fi
        done
        summary plansite "$n" "$pass" "$TMP/p.runs" "$(written "$pout")"
        if [ -n "$hdir" ]; then
            summary hugo "$n" "$pass" "$TMP/h.runs" "$(written "$hout")"
            awk -v p="$(cut -d' ' -f1 "$TMP/p.runs" | median)" -v h="$(cut -d' ' -f1 "$TMP/h.runs" | median)" \
                'BEGIN {printf "  plansite/Hugo median wall: %.2f\n", p / h}'
        fi
        echo "  plansite says: $(cat "$TMP/built")"
        echo "  plansite phases (--timings), ms, run by run:"
        awk '{ if (!($2 in seen)) {seen[$2] = 1; order[++k] = $2}; v[$2] = v[$2] sprintf(" %8.1f", $3) }
             END {for (i = 1; i <= k; i++) printf "    %-8s%s\n", order[i], v[order[i]]}' "$TMP/phases"
        echo "  load average after: $(loadavg)"
        if [ "$KEEP" = 0 ]; then rm -rf "$pout"; if [ -n "$hdir" ]; then rm -rf "$hout"; fi; fi
    done
    if [ "$KEEP" = 0 ]; then rm -rf "$pdir"; if [ -n "$hdir" ]; then rm -rf "$hdir"; fi; fi
done

echo
echo "== summary: median wall, median CPU (user+sys), median peak RSS; load average now: $(loadavg) =="
awk '{printf "  %-9s %6d records  %-5s  %7.2f s wall  %7.2f s CPU  %5.0f MiB  %7.1f MB (du -sb)  %6d files\n", $1, $2, $3, $4/1000, $5/1000, $6/1024, $7/1e6, $8}' "$TMP/summary"
if [ "$HUGO" = yes ]; then
    awk '$1 == "plansite" {p[$2 " " $3] = $4} $1 == "hugo" {h[$2 " " $3] = $4}
         END {for (k in p) if (k in h) {split(k, x, " "); printf "  at %d records, output on %s: plansite takes %.2fx Hugo'"'"'s median wall time\n", x[1], x[2], p[k] / h[k]}}' "$TMP/summary" | sort -n -k3
fi
