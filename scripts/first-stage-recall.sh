#!/usr/bin/env bash
# The first stage's recall: of the top 10 standards that exhaustive scoring (every standard in
# scope scored exactly, ALIGNER_PARAMS=first_stage=0) gives each item, the share the default
# two-stage matcher (tantivy's top hits, then exact scoring) also gives. On the dev files of
# ../shared/eval, in the settings of scripts/eval-dev.sh.
# Usage: scripts/first-stage-recall.sh [path/to/aligner]
set -euo pipefail
bin=${1:-target/release/aligner}
ev=${EVAL_DIR:-../shared/eval}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
run() { # name file args...
  local name=$1; shift
  "$bin" eval "$@" --items --format json > "$tmp/$name.two"
  ALIGNER_PARAMS=${ALIGNER_PARAMS:+$ALIGNER_PARAMS,}first_stage=0 "$bin" eval "$@" --items --format json > "$tmp/$name.all"
  python3 - "$tmp/$name.two" "$tmp/$name.all" "$name" <<'PY'
import json, sys
two = {i["id"]: i["suggested"][:10] for i in json.load(open(sys.argv[1]))["items"]}
full = {i["id"]: i["suggested"][:10] for i in json.load(open(sys.argv[2]))["items"]}
hit = sum(len(set(full[k]) & set(two.get(k, []))) for k in full)
tot = sum(len(v) for v in full.values())
same1 = sum(1 for k in full if full[k][:1] == two.get(k, [])[:1])
print("%-22s recall of the exhaustive top 10: %.4f (%d of %d); same first result: %d of %d" % (sys.argv[3], hit / max(tot, 1), hit, tot, same1, len(full)))
PY
}
run "khan, grade filter" "$ev/dev-khan-titles.jsonl"
run "khan, no grade" "$ev/dev-khan-titles.jsonl" --no-grade
run "mathfish, no grade" "$ev/dev-mathfish-problems.jsonl" --no-grade
