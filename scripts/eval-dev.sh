#!/usr/bin/env bash
# The dev evaluation of the matcher on ../shared/eval (publisher alignments), in the settings the
# README reports: Khan titles with and without each item's grade, MathFish texts without, ELA
# lessons with their grade, and the three Eureka course outlines (rows nested by their `level`,
# so that each lesson has its topic and module titles as context).
# Usage: scripts/eval-dev.sh [path/to/aligner] [--fast]
#   (ALIGNER_PARAMS=name=value,... to try weights; --fast measures the static-vector path)
set -euo pipefail
bin=${1:-target/release/aligner}
shift || true
ev=${EVAL_DIR:-../shared/eval}
row() { out=$("$bin" eval "$@" --format json) || exit 2; echo "$out" | python3 -c '
import json,sys; d=json.load(sys.stdin)["overall"]
print("r@1 %.3f  r@5 %.3f  r@10 %.3f  mrr %.3f  near %.3f  n=%d" % (d["recall_at_1"], d["recall_at_5"], d["recall_at_10"], d["mrr"], d["near_miss"], d["items"]))'; }
printf 'khan, grade filter    '; row "$ev/dev-khan-titles.jsonl" "$@"
printf 'khan, no grade        '; row "$ev/dev-khan-titles.jsonl" --no-grade "$@"
printf 'mathfish, no grade    '; row "$ev/dev-mathfish-problems.jsonl" --no-grade "$@"
printf 'ela, grade filter     '; row "$ev/dev-ela-lessons.jsonl" "$@"
for c in grade2 grade6 geometry; do
  printf 'outline %-13s ' "$c"; row "$ev/dev-toc-engageny-$c-math.jsonl" "$@"
done
