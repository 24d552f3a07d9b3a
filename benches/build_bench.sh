#!/usr/bin/env bash
# Build benchmark: cold `plansite build` of a synthetic corpus of decision
# notices (about 900 words each) at 1,000 and 10,000 records, and, when
# `hugo` is installed, Hugo's build of the same corpus with a minimal
# template, for comparison.
#
#   benches/build_bench.sh                 # 1,000 and 10,000 records, 3 runs each
#   benches/build_bench.sh --sizes "50 1000" --runs 5 --no-hugo
#
# Options (or the environment variables in brackets):
#   --sizes "N …"   corpus sizes                                   [SIZES]
#   --runs R        cold builds per size; medians are reported     [RUNS]
#   --hugo auto|yes|no  compare with Hugo (auto: if on PATH)       [HUGO]
#   --no-hugo       same as --hugo no
#   --bin PATH      plansite binary to time; default: `cargo build
#                   --release` and $CARGO_TARGET_DIR (or target)/release/plansite
#                                                                   [PLANSITE]
#   --keep-output   leave the last build's public/ in the corpus folder
#   (BENCH_DIR)     where corpora are kept; default target/bench-corpus
#
# Needs python3 (the generator uses the standard library only) and GNU time
# (/usr/bin/time; `apt-get install time`). Corpora are generated once with
# benches/gen_corpus.py and cached under target/bench-corpus/ with a stamp;
# they are regenerated when the generator, benches/corpus-site.yaml or N
# changes. benches/gen_corpus.py is a byte-identical copy of
# ../shared/bench/gen_corpus.py, the generator the peers' figures were
# measured with: a clone of this repository has no ../shared/, and the copy
# lets it run the benchmark; tests/corpus.rs fails if the two drift apart.
#
# "Cold" means a fresh process and no previous output. The previous run's
# output is moved aside into target/bench-corpus/trash/ and deleted only when
# the benchmark ends: on ext4, creating files just after deleting thousands
# costs far more (the inode allocator skips recently freed inodes; on a
# shared disk this turned a 0.5 s write into 3-30 s), and that would measure
# the benchmark's own clean-up rather than the build. Plansite and Hugo are
# treated alike. The source files are in the page cache after the first
# run, as they are for any peer measured the same way; set DROP_CACHES=1 (as
# root, where /proc/sys/vm/drop_caches is writable) to drop it before each run.
#
# Figures per size: wall time, user+sys CPU time, peak RSS (GNU time's
# "Maximum resident set size"), pages written, output bytes, search index
# bytes and the per-phase breakdown that `plansite build --timings` prints.
# The phases are plansite's own (`--timings`): load, parse, link, render,
# search, exports and write (the atomic write of public/); "other" is the
# rest of the wall time (process start, freeing memory, exit).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
SIZES=${SIZES:-"1000 10000"}
RUNS=${RUNS:-3}
HUGO=${HUGO:-auto}
BIN=${PLANSITE:-}
KEEP=0
CACHE=${BENCH_DIR:-$ROOT/target/bench-corpus}
GEN=${GEN_CORPUS:-$ROOT/benches/gen_corpus.py}
SITE_YAML=$ROOT/benches/corpus-site.yaml

while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) SIZES=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --hugo) HUGO=$2; shift 2 ;;
        --no-hugo) HUGO=no; shift ;;
        --bin) BIN=$2; shift 2 ;;
        --keep-output) KEEP=1; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
done

die() { echo "build_bench: $*" >&2; exit 1; }
command -v python3 >/dev/null || die "python3 is needed to generate the corpus (apt-get install python3)"
[ -x /usr/bin/time ] || die "GNU time (/usr/bin/time) is needed for CPU time and peak RSS; install it with: apt-get install time"
SHARED_GEN=$ROOT/../shared/bench/gen_corpus.py
if [ -f "$SHARED_GEN" ] && ! cmp -s "$SHARED_GEN" "$GEN"; then
    echo "build_bench: warning: $GEN differs from $SHARED_GEN; figures are not comparable with the peers'" >&2
fi
case "$HUGO" in
    auto) command -v hugo >/dev/null && HUGO=yes || HUGO=no ;;
    yes) command -v hugo >/dev/null || die "hugo is not on PATH (apt-get install hugo)" ;;
    no) ;;
    *) die "--hugo takes auto, yes or no" ;;
esac

if [ -z "$BIN" ]; then
    echo "Building plansite (cargo build --release)…" >&2
    cargo build --release --quiet --bin plansite
    BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/plansite
fi
[ -x "$BIN" ] || die "no plansite binary at $BIN"

echo "Machine: $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews timings)"
echo "plansite: $BIN ($("$BIN" --version))"

TMP=$(mktemp -d)
TRASH=$CACHE/trash
trap 'rm -rf "$TMP" "$TRASH"' EXIT
mkdir -p "$CACHE" "$TRASH"

# set_aside PATH…: moves outputs of earlier runs out of the way, undeleted.
set_aside() {
    local p
    for p in "$@"; do
        if [ -e "$p" ]; then mv "$p" "$(mktemp -d "$TRASH/run.XXXXXX")/"; fi
    done
}

# corpus FORMAT N → prints the corpus folder, generating it if the cache is stale.
corpus() {
    local format=$1 n=$2 dir="$CACHE/$1-$2" stamp
    stamp=$(cat "$GEN" "$SITE_YAML" | sha256sum | cut -c1-16)-$format-$n
    if [ "$(cat "$dir.stamp" 2>/dev/null)" != "$stamp" ]; then
        echo "Generating the $format corpus at $n records…" >&2
        rm -f "$dir.stamp"
        python3 "$GEN" --format "$format" --n "$n" --out "$dir" --force
        [ "$format" = plain ] && cp "$SITE_YAML" "$dir/content/site.yaml"
        echo "$stamp" > "$dir.stamp"
    fi
    echo "$dir"
}

median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
maxof() { sort -g | tail -1; }
minof() { sort -g | head -1; }
now_ns() { date +%s%N; }

# timed_run OUTFILE CMD… : runs CMD under GNU time, appends "wall cpu rss" to OUTFILE.
timed_run() {
    local record=$1; shift
    sync
    if [ "${DROP_CACHES:-0}" = 1 ]; then echo 3 > /proc/sys/vm/drop_caches; fi
    local t0 t1 status=0 load
    load=$(cut -d' ' -f1 /proc/loadavg)
    t0=$(now_ns)
    /usr/bin/time -v -o "$TMP/time" "$@" > "$TMP/stdout" 2> "$TMP/stderr" || status=$?
    t1=$(now_ns)
    if [ "$status" != 0 ]; then
        echo "build_bench: FAILED (exit $status): $*" >&2
        head -n 60 "$TMP/stderr" >&2
        exit 1
    fi
    awk -v wall="$(( (t1 - t0) / 1000000 ))" -v load="$load" '
        /User time \(seconds\)/ {u=$NF}
        /System time \(seconds\)/ {s=$NF}
        /Maximum resident set size/ {r=$NF}
        END {printf "%d %.0f %d %s\n", wall, (u+s)*1000, r, load}' "$TMP/time" >> "$record"
}

# bytes DIR → apparent size of the files under DIR (0 if absent).
bytes() { if [ -d "$1" ]; then find "$1" -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}'; else echo 0; fi; }
files() { if [ -d "$1" ]; then find "$1" -type f | wc -l; else echo 0; fi; }
mib() { awk -v b="$1" 'BEGIN {printf "%.1f MiB", b/1048576}'; }
secs() { awk -v ms="$1" 'BEGIN {printf "%.2f s", ms/1000}'; }

# report NAME N RECORDFILE OUTDIR
report() {
    local name=$1 n=$2 record=$3 out=$4
    local wall wmin wmax cpu rss pages html obytes
    wall=$(cut -d' ' -f1 "$record" | median)
    wmin=$(cut -d' ' -f1 "$record" | minof)
    wmax=$(cut -d' ' -f1 "$record" | maxof)
    cpu=$(cut -d' ' -f2 "$record" | median)
    rss=$(cut -d' ' -f3 "$record" | maxof)
    html=$(find "$out" -type f -name '*.html' | wc -l)
    obytes=$(bytes "$out")
    printf '\n== %s, %s records, %s cold builds ==\n' "$name" "$n" "$RUNS"
    printf '  wall time      %s median (min %s, max %s)\n' "$(secs "$wall")" "$(secs "$wmin")" "$(secs "$wmax")"
    printf '  CPU user+sys   %s median (%.2f cores busy)\n' "$(secs "$cpu")" "$(awk -v c="$cpu" -v w="$wall" 'BEGIN {print (w>0)?c/w:0}')"
    printf '  peak RSS       %s (highest of the runs)\n' "$(awk -v k="$rss" 'BEGIN {printf "%.0f MiB", k/1024}')"
    printf '  pages written  %s HTML files; %s files in all\n' "$html" "$(files "$out")"
    printf '  load average   %s to %s at the start of the runs (2 cores busy = 2.0)\n' "$(cut -d' ' -f4 "$record" | minof)" "$(cut -d' ' -f4 "$record" | maxof)"
    printf '  output bytes   %s bytes (%s)\n' "$obytes" "$(mib "$obytes")"
    echo "${name// /-} $n $wall $cpu $rss" >> "$TMP/summary"
}

for n in $SIZES; do
    dir=$(corpus plain "$n")
    : > "$TMP/plain-$n.runs"
    : > "$TMP/plain-$n.phases"
    for run in $(seq 1 "$RUNS"); do
        set_aside "$dir/public" "$dir"/.public.*
        timed_run "$TMP/plain-$n.runs" "$BIN" build --root "$dir" --timings
        awk -v run="$run" 'NF == 3 && $3 == "ms" {print run, $1, $2}' "$TMP/stdout" >> "$TMP/plain-$n.phases"
        cp "$TMP/stdout" "$TMP/plain-$n.stdout"
    done
    report plansite "$n" "$TMP/plain-$n.runs" "$dir/public"
    printf '  plansite says  %s\n' "$(grep '^Built' "$TMP/plain-$n.stdout")"
    decisions=$(find "$dir/public/decisions" -mindepth 2 -maxdepth 2 -name index.html | wc -l)
    printf '  decision pages %s of %s\n' "$decisions" "$n"
    # The build's own account of its search index (files, total, largest
    # shard), and what is on disk under public/search/ besides the page.
    printf '  search index   %s\n' "$(grep -o 'search index [^)]*' "$TMP/plain-$n.stdout" || echo 'not reported')"
    sbytes=$(( $(bytes "$dir/public/search") - $( [ -f "$dir/public/search/index.html" ] && stat -c %s "$dir/public/search/index.html" || echo 0) ))
    printf '  search bytes   %s bytes (%s) on disk under public/search/, the search page excepted\n' "$sbytes" "$(mib "$sbytes")"
    echo "  per phase (median of $RUNS runs):"
    phase_sum=0
    for phase in $(awk '$1 == 1 {print $2}' "$TMP/plain-$n.phases"); do
        ms=$(awk -v p="$phase" '$2 == p {print $3}' "$TMP/plain-$n.phases" | median)
        phase_sum=$(awk -v a="$phase_sum" -v b="$ms" 'BEGIN {print a+b}')
        printf '    %-9s %9.1f ms\n' "$phase" "$ms"
    done
    wall=$(cut -d' ' -f1 "$TMP/plain-$n.runs" | median)
    printf '    %-9s %9.1f ms  (wall minus the phases: process start, freeing memory, exit)\n' \
        other "$(awk -v w="$wall" -v s="$phase_sum" 'BEGIN {print w-s}')"
    [ "$KEEP" = 1 ] || set_aside "$dir/public"

    if [ "$HUGO" = yes ]; then
        hdir=$(corpus hugo "$n")
        : > "$TMP/hugo-$n.runs"
        for run in $(seq 1 "$RUNS"); do
            set_aside "$hdir/public" "$hdir/resources" "$hdir/.hugo_build.lock"
            timed_run "$TMP/hugo-$n.runs" hugo --source "$hdir" --quiet --ignoreCache
        done
        report "$(hugo version | awk '{print "hugo", $2}' | cut -d+ -f1)" "$n" "$TMP/hugo-$n.runs" "$hdir/public"
        echo "  (no search index; template: gen_corpus.py --format hugo's minimal layouts)"
        [ "$KEEP" = 1 ] || set_aside "$hdir/public"
    fi
done

echo
echo "Deleting the outputs set aside (on a slow disk this takes a while)…" >&2
rm -rf "$TRASH"
echo "== summary (median wall, median CPU, peak RSS); load average after: $(cut -d' ' -f1-3 /proc/loadavg) =="
awk '{printf "  %-14s %6d records  %8.2f s wall  %8.2f s CPU  %6.0f MiB\n", $1, $2, $3/1000, $4/1000, $5/1024}' "$TMP/summary"
if [ "$HUGO" = yes ]; then
    awk '$1 == "plansite" {p[$2]=$3} $1 != "plansite" {h[$2]=$3}
         END {for (n in p) if (n in h) printf "  at %d records plansite takes %.2fx Hugo'"'"'s wall time\n", n, p[n]/h[n]}' "$TMP/summary"
fi
