#!/usr/bin/env bash
# Run the fuzz targets, each for SECONDS (default 600), one after the other.
#
#   fuzz/run.sh [SECONDS] [TARGET...]
#
# Seeds: the matching files of tests/data and examples, plus fuzz/seeds/<target>/, copied into
# fuzz/corpus/<target>/ (which grows as the fuzzer finds new inputs, and is kept between runs).
# Crashes, timeouts and out-of-memory inputs go to fuzz/artifacts/<target>/; a run carries on after
# one (-fork=1 -ignore_*). Logs: fuzz/logs/<target>-<date>.log (or $FUZZ_LOG_DIR/), ending with
# the CPU time used. Needs cargo-fuzz and, on a stable
# toolchain, RUSTC_BOOTSTRAP=1 (set here). Everything runs at nice 19.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-600}
shift || true
all=(standards_json standards_xml standards_csv curriculum_units toc codes)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")
export RUSTC_BOOTSTRAP=1
root=..

seed() {
    local t=$1 dir=corpus/$1
    mkdir -p "$dir" "artifacts/$t" logs
    shopt -s nullglob
    local files=()
    case $t in
        # tests/data/bad/ holds the bad-input corpus of the tests: each reader's near misses.
        standards_json) files=("$root"/tests/data/standards/*.json "$root"/tests/data/bad/{asn,case,rdfjson}-*.json) ;;
        standards_xml) files=("$root"/tests/data/bad/*.xml) ;;
        standards_csv) files=("$root"/tests/data/standards/*.csv "$root"/tests/data/audit/riverside-math.csv
                              "$root"/tests/data/bad/std-*.csv) ;;
        curriculum_units) files=("$root"/tests/data/curriculum/*.{csv,json,jsonl} "$root"/tests/data/audit/riverside-units.csv
                                 "$root"/tests/data/eval/*.jsonl "$root"/examples/*.csv "$root"/tests/data/bad/units-*) ;;
        toc) files=("$root"/tests/data/curriculum/*.{txt,md} "$root"/examples/*.{txt,md} "$root"/tests/data/bad/toc-*) ;;
        codes)
            # One seed per 20th claim list: a selector byte (framework, grade), then the codes.
            LC_ALL=C awk -F'\t' -v d="$dir" 'NR > 1 && NR % 20 == 0 { printf "%c%s", 32 + NR % 90, $2 > (d "/claims-" NR); close(d "/claims-" NR) }' \
                "$root"/tests/data/codes/eval-claims.tsv ;;
    esac
    for f in "${files[@]}" seeds/"$t"/*; do
        cp -n "$f" "$dir/" 2>/dev/null || true
    done
    shopt -u nullglob
}

dict_of() {
    case $1 in
        standards_json) echo dicts/json.dict ;;
        standards_xml) echo dicts/xml.dict ;;
        standards_csv) echo dicts/csv.dict ;;
        curriculum_units) echo dicts/units.dict ;;
        toc) echo dicts/toc.dict ;;
        codes) echo dicts/codes.dict ;;
    esac
}

for t in "${targets[@]}"; do
    seed "$t"
    max_len=65536
    [ "$t" = codes ] && max_len=4096
    log=${FUZZ_LOG_DIR:-logs}/$t-$(date +%Y%m%d-%H%M%S).log
    mkdir -p "$(dirname "$log")"
    echo "== $t for ${secs}s, log $log"
    if [ "$t" = codes ]; then
        # `codes` reads the whole shipped corpus once per process (seconds), which fork mode would
        # repeat for every job: one process instead, started again after a crash until the time
        # is used up.
        end=$(($(date +%s) + secs))
        : >"$log"
        while [ "$(date +%s)" -lt "$end" ]; do
            /usr/bin/time -a -o "$log" -f "cpu: %U s user, %S s system, %e s wall" \
                nice -n 19 cargo fuzz run "$t" "corpus/$t" -- \
                -max_total_time=$((end - $(date +%s))) -max_len=$max_len -timeout=10 -rss_limit_mb=2048 \
                -dict="$(dict_of "$t")" >>"$log" 2>&1 || echo "   ($t exited $?)"
        done
    else
        # CPU time of the fuzzer and its forked workers goes at the end of the log.
        /usr/bin/time -a -o "$log" -f "cpu: %U s user, %S s system, %e s wall" \
            nice -n 19 cargo fuzz run "$t" "corpus/$t" -- \
            -max_total_time="$secs" -max_len=$max_len -timeout=10 -rss_limit_mb=2048 \
            -dict="$(dict_of "$t")" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
            >"$log" 2>&1 || echo "   ($t exited $?)"
    fi
    grep -E '^#[0-9]+:? ' "$log" | tail -1 || true
    grep '^cpu:' "$log" || true
    echo "   crashes/timeouts/ooms saved: $(ls "artifacts/$t" | wc -l)"
done
