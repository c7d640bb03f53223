#!/usr/bin/env bash
# Scale benchmark: how `aligner index`, `search` and `audit` grow with the size of the framework.
#
#   scripts/bench-scale.sh [--sizes "20000 50000 200000"] [--runs 3] [--bin PATH] [--timeout 600]
#
# In one run, against the same machine state:
#   1. baseline, the shipped corpus: `aligner index` (the shipped data, into a fresh directory),
#      `aligner search "add fractions with unlike denominators"`, and `aligner audit UNITS.csv
#      --format json >/dev/null` of 1,000 units generated from ccss-math (the default table output
#      is timed once as well);
#   2. for each size N of --sizes: a synthetic district CSV of N standards (grades K-12, 4 levels),
#      `aligner index FILE.csv` into a fresh directory, the same search, and the audit of 1,000
#      units generated from that framework;
#   3. the cost of depth: `aligner index` of a single parent chain 1,000 and 5,000 rows deep.
# The data comes from `cargo run --release --example synth` (examples/synth.rs, fixed seed), so
# every run measures the same files. Each measurement is repeated --runs times (default 3) and
# the median is reported: peak RSS from `/usr/bin/time -f '%e %M'`, and wall time from bash's
# $EPOCHREALTIME around that (`%e` counts in steps of 10 ms, too coarse for a search; the log on
# stderr shows both). A command that runs longer than --timeout seconds (default 600) is killed,
# reported as "> 600 s" and not repeated. Everything happens in a temporary directory (removed at
# the end; --keep keeps it), and every command gets its index with `--index DIR`.
#
# --bin PATH measures another build of aligner (to compare two builds, run the script twice);
# by default the release binary of this checkout, ${CARGO_TARGET_DIR:-target}/release/aligner,
# built if missing. The generator is always built from this checkout.
#
# Output: a Markdown report on stdout (progress on stderr): a table with a row per corpus size,
# the ratio of each figure to the shipped-corpus baseline of the same run, and the targets
# (at the largest size: index <= 25x, search <= 3x, audit <= 4x, peak RSS of that audit <= 1 GiB;
# shipped audit of 1,000 units < 1 s) marked PASS or FAIL. The exit status is 0 whatever the
# figures (it is a report); it is 1 when a command fails, 2 on a usage error.
set -euo pipefail

SIZES="20000 50000 200000"
RUNS=3
BIN=""
TIMEOUT=600
KEEP=0
QUERY="add fractions with unlike denominators"
UNITS=1000

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) SIZES="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        --bin) BIN="$2"; shift 2 ;;
        --timeout) TIMEOUT="$2"; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h|--help) usage 0 ;;
        *) echo "bench-scale: unknown argument $1" >&2; usage 2 >&2 ;;
    esac
done
case "$RUNS" in ''|*[!0-9]*|0) echo "bench-scale: --runs needs a positive number" >&2; exit 2 ;; esac
case "$TIMEOUT" in ''|*[!0-9]*|0) echo "bench-scale: --timeout needs a positive number of seconds" >&2; exit 2 ;; esac
for n in $SIZES; do
    case "$n" in *[!0-9]*|0) echo "bench-scale: --sizes needs positive numbers: $n" >&2; exit 2 ;; esac
done
[ -n "${EPOCHREALTIME:-}" ] || { echo "bench-scale: needs bash 5 (EPOCHREALTIME)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench-scale: needs GNU time at /usr/bin/time" >&2; exit 2; }

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET" in /*) ;; *) TARGET="$ROOT/$TARGET" ;; esac
log() { echo "bench-scale: $*" >&2; }

if [ -z "$BIN" ]; then
    BIN="$TARGET/release/aligner"
    if [ ! -x "$BIN" ]; then
        log "building $BIN"
        (cd "$ROOT" && cargo build --release --bin aligner >&2)
    fi
fi
[ -x "$BIN" ] || { echo "bench-scale: not an executable: $BIN" >&2; exit 2; }
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"
log "building the generator (examples/synth.rs)"
(cd "$ROOT" && cargo build --release --example synth >&2)
SYNTH="$TARGET/release/examples/synth"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/bench-scale.XXXXXX")"
if [ "$KEEP" = 1 ]; then log "keeping $TMP"; else trap 'rm -rf "$TMP"' EXIT; fi

# measure NAME PREP CMD...: run CMD --runs times (PREP, a shell snippet, before each run, not
# timed), stdout to $TMP/NAME.out. Sets SEC and MB to the medians, or SEC="> TIMEOUT" when a run
# was killed. A failing command stops the script.
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
measure() {
    local name="$1" prep="$2"; shift 2
    local secs="" kbs="" i rc tf="$TMP/$name.time"
    for ((i = 1; i <= RUNS; i++)); do
        eval "$prep"
        rc=0
        t0="$EPOCHREALTIME"
        /usr/bin/time -f '%e %M' -o "$tf" timeout "$TIMEOUT" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" || rc=$?
        t1="$EPOCHREALTIME"
        if [ "$rc" = 124 ]; then
            log "$name: killed after $TIMEOUT s"
            SEC="> $TIMEOUT"; MB="?"
            return 0
        fi
        if [ "$rc" != 0 ]; then
            echo "bench-scale: $name failed (exit $rc): $*" >&2
            cat "$TMP/$name.err" >&2
            exit 1
        fi
        read -r e k < <(tail -n 1 "$tf")
        s="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')"
        secs+="$s"$'\n'; kbs+="$k"$'\n'
        log "$name run $i: $s s (time: $e s), $((k / 1024)) MB"
    done
    SEC="$(printf '%s' "$secs" | median)"
    MB="$(printf '%s' "$kbs" | median | awk '{ printf "%d", $1 / 1024 }')"
}

# ratio VALUE BASE: "12.3x", or "> 12.3x" for a timed-out value.
ratio() {
    case "$2" in ">"*|"?") echo "?"; return ;; esac
    case "$1" in
        ">"*) awk -v v="${1#> }" -v b="$2" 'BEGIN { printf "> %.1fx", v / b }' ;;
        *) awk -v v="$1" -v b="$2" 'BEGIN { printf "%.1fx", v / b }' ;;
    esac
}
# check VALUE LIMIT (numbers; VALUE may be "> n"): PASS when VALUE <= LIMIT.
check() {
    case "$1" in
        ">"*|"?") echo FAIL ;;
        *) awk -v v="$1" -v l="$2" 'BEGIN { print (v <= l) ? "PASS" : "FAIL" }' ;;
    esac
}
# seconds as printed: 2 decimals (GNU time gives 2), "> 600 s" for a timeout.
fmt_s() { echo "$1 s"; }
thousands() { echo "$1" | sed ':a; s/\B[0-9]\{3\}\>/,&/; ta'; }
export LC_ALL=C

# --- baseline: the shipped corpus --------------------------------------------------------------
log "generating $UNITS units from ccss-math"
"$SYNTH" units --shipped ccss-math --units "$UNITS" --out "$TMP/units-shipped.csv"
IX="$TMP/ix-shipped"
measure index-shipped "rm -rf '$IX'" "$BIN" --index "$IX" index
B_INDEX="$SEC"; B_INDEX_MB="$MB"
measure search-shipped "" "$BIN" --index "$IX" search "$QUERY"
B_SEARCH="$SEC"
measure audit-shipped "" "$BIN" --index "$IX" audit "$TMP/units-shipped.csv" --format json
B_AUDIT="$SEC"; B_MB="$MB"
SAVE_RUNS="$RUNS"; RUNS=1
measure audit-shipped-table "" "$BIN" --index "$IX" audit "$TMP/units-shipped.csv"
B_TABLE="$SEC"; B_TABLE_MB="$MB"; B_TABLE_BYTES="$(wc -c <"$TMP/audit-shipped-table.out")"
RUNS="$SAVE_RUNS"
B_NODES="$("$BIN" --index "$IX" frameworks --format json | grep -o '"nodes": *[0-9]*' | awk -F: '{ s += $2 } END { print s + 0 }')"
B_DISK="$(du -sm "$IX" | cut -f1)"

case "$B_INDEX$B_SEARCH$B_AUDIT" in *">"*) echo "bench-scale: the baseline timed out" >&2; exit 1 ;; esac

ROWS=()
LAST_N=""
for n in $SIZES; do
    f="$TMP/synth-$n.csv"
    log "generating a framework of $n standards and $UNITS units from it"
    "$SYNTH" framework --standards "$n" --out "$f"
    "$SYNTH" units --from "$f" --units "$UNITS" --out "$TMP/units-$n.csv"
    rows="$(($(wc -l <"$f") - 1))"
    IX="$TMP/ix-$n"
    measure "index-$n" "rm -rf '$IX'" "$BIN" --index "$IX" index --only "$f"
    S_INDEX="$SEC"; S_INDEX_MB="$MB"
    disk="$(du -sm "$IX" | cut -f1)"
    measure "search-$n" "" "$BIN" --index "$IX" search "$QUERY"
    S_SEARCH="$SEC"
    measure "audit-$n" "" "$BIN" --index "$IX" audit "$TMP/units-$n.csv" --format json
    S_AUDIT="$SEC"; S_MB="$MB"
    ROWS+=("| $(thousands "$n") ($(thousands "$rows") rows) | $(fmt_s "$S_INDEX") ($(ratio "$S_INDEX" "$B_INDEX")), peak ${S_INDEX_MB} MB, ${disk} MB on disk | $(fmt_s "$S_SEARCH") ($(ratio "$S_SEARCH" "$B_SEARCH")) | $(fmt_s "$S_AUDIT") ($(ratio "$S_AUDIT" "$B_AUDIT")) | $S_MB |")
    LAST_N="$n"; L_INDEX="$S_INDEX"; L_SEARCH="$S_SEARCH"; L_AUDIT="$S_AUDIT"; L_MB="$S_MB"
    rm -rf "$IX"
done

DEPTH_ROWS=()
for d in 1000 5000; do
    f="$TMP/chain-$d.csv"
    "$SYNTH" framework --depth-chain "$d" --out "$f"
    IX="$TMP/ix-chain-$d"
    measure "index-chain-$d" "rm -rf '$IX'" "$BIN" --index "$IX" index --only "$f"
    disk="$(du -sm "$IX" | cut -f1)"
    [ "$d" = 1000 ] && D_BASE="$SEC"
    DEPTH_ROWS+=("| $(thousands "$d") | $(fmt_s "$SEC") ($(ratio "$SEC" "$D_BASE") the 1,000-deep chain) | $MB | $disk |")
    rm -rf "$IX"
done

# --- report ------------------------------------------------------------------------------------
commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "## Scale benchmark, $(date -u +%Y-%m-%d)"
echo
echo "\`$("$BIN" --version)\` ($BIN; script and generator of checkout $commit), $(nproc) cores, each figure the median of $RUNS runs;"
echo "units and frameworks from \`examples/synth.rs\` (seed 42), search \`\"$QUERY\"\`,"
echo "audit of $(thousands "$UNITS") units with \`--format json >/dev/null\`. Ratios are to the shipped corpus of this run."
echo
echo "| corpus (standards) | \`index\` | \`search\` | \`audit\` $(thousands "$UNITS") units | audit peak MB |"
echo "|---|---|---|---|---|"
echo "| shipped, 7 frameworks ($(thousands "${B_NODES:-0}") nodes) | $(fmt_s "$B_INDEX") (1x), peak ${B_INDEX_MB} MB, ${B_DISK} MB on disk | $(fmt_s "$B_SEARCH") (1x) | $(fmt_s "$B_AUDIT") (1x) | $B_MB |"
for r in "${ROWS[@]}"; do echo "$r"; done
echo
echo "The shipped audit with the default table output: $(fmt_s "$B_TABLE"), $B_TABLE_MB MB ($(thousands "$B_TABLE_BYTES") bytes of table), one run."
echo
echo "Depth: \`aligner index\` of one parent chain (each row's parent the row before):"
echo
echo "| depth | \`index\` | peak MB | index on disk (MB) |"
echo "|---|---|---|---|"
for r in "${DEPTH_ROWS[@]}"; do echo "$r"; done
echo
if [ -n "$LAST_N" ]; then
    echo "Targets (at $(thousands "$LAST_N") standards, against the shipped corpus of this run):"
    echo
    echo "| target | measured | |"
    echo "|---|---|---|"
    lim() { awk -v b="$1" -v k="$2" 'BEGIN { print b * k }'; }
    echo "| index <= 25x | $(ratio "$L_INDEX" "$B_INDEX") | $(check "$L_INDEX" "$(lim "$B_INDEX" 25)") |"
    echo "| search <= 3x | $(ratio "$L_SEARCH" "$B_SEARCH") | $(check "$L_SEARCH" "$(lim "$B_SEARCH" 3)") |"
    echo "| audit of $(thousands "$UNITS") units <= 4x | $(ratio "$L_AUDIT" "$B_AUDIT") | $(check "$L_AUDIT" "$(lim "$B_AUDIT" 4)") |"
    echo "| peak RSS of that audit <= 1 GiB | $L_MB MB | $(check "$L_MB" 1024) |"
    echo "| shipped audit of $(thousands "$UNITS") units < 1 s | $(fmt_s "$B_AUDIT") | $(awk -v v="$B_AUDIT" 'BEGIN { print (v < 1) ? "PASS" : "FAIL" }') |"
fi
