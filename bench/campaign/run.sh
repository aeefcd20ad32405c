#!/usr/bin/env bash
# Benchmark: a campaign of simulated run bundles (slm-energy simulate; default 200 bundles of 500
# inferences, USB-meter CSVs at 20 Hz on four board/model cells: ≈ 100k inferences and, with
# inferences of several seconds, ≈ 20M samples), ingested whole by slm-energy with 1 and 2
# workers (`ingest --jobs N`: inference windows and their prefill/decode parts, the idle window,
# the span, quarantine, every table) against a pandas script (read_csv, np.searchsorted edges,
# cumulative trapezoid) and DuckDB SQL (read_csv, window functions, ASOF JOIN) that compute the
# inference windows' energies only. Before timing, the three must agree on every run's total
# inference energy within 1e-6 relative. Each contender runs REPEAT times (default 3),
# alternating; medians are shown. The last line is
#   campaign: speed-up vs pandas X×, vs DuckDB Y×; 1→2 workers Z×; peak W MB per worker
# (X, Y: slm-energy with 2 workers; W: max RSS of the --jobs 1 run, where one thread does the work).
# The bundles are generated once under bench/out/campaign-B-I/ (git-ignored) and reused.
# Usage: bash bench/campaign/run.sh [bundles] [inferences]      e.g. REPEAT=1 bash bench/campaign/run.sh 8 40
set -euo pipefail
cd "$(dirname "$0")/../.."
B="${1:-200}"
I="${2:-500}"
REPEAT="${REPEAT:-3}"
PY=/usr/bin/python3
TIME=/usr/bin/time

. bench/lib/baseline-tools.sh
ensure_baseline_tools
node node_modules/typescript/bin/tsc -p tsconfig.json >/dev/null || true
[ -f dist/pipeline/ingest/worker.js ] || { echo "dist/ is not built: run npm run build" >&2; exit 1; }

DATA="bench/out/campaign-$B-$I"
CELLS=("raspberry-pi-5 gemma-2-2b" "jetson-orin-nano phi-3-mini" "raspberry-pi-5 phi-3-mini" "jetson-orin-nano llama-3.2-3b")
if [ ! -f "$DATA/.complete" ]; then
  echo "simulating $B bundles of $I inferences into $DATA…" >&2
  rm -rf "$DATA" && mkdir -p "$DATA"
  for ((b = 0; b < B; b++)); do
    read -r device model <<<"${CELLS[$((b % ${#CELLS[@]}))]}"
    printf '%s\n' "simulate --device $device --backend cpu --model $model --quant Q4_K_M --benchmark winogrande --meter usb-csv --runtime collector --sample-hz 20 --inferences $I --seed $((b + 1)) --out $DATA/run-$(printf %04d "$b")"
  done | xargs -P "$(nproc)" -I{} sh -c 'node dist/cli/main.js {} >/dev/null'
  touch "$DATA/.complete"
fi
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
cat "$DATA"/*/usb-meter.csv >/dev/null # every contender reads from the page cache

measure() { # name, command…  → "wall_s max_rss_kb cpu_s json"
  local name="$1"; shift
  local out
  out="$("$TIME" -f "__TIME__ %e %M %U %S" "$@" 2>"$TMP/$name.err")" || { cat "$TMP/$name.err" >&2; exit 1; }
  local t; t="$(grep __TIME__ "$TMP/$name.err" | tail -1)"
  echo "$(echo "$t" | awk '{print $2, $3, $4 + $5}') $out"
}
slm() { # jobs → JSON of per-run inference energies (from the tables it wrote)
  rm -rf "$TMP/out-$1"
  node dist/cli/main.js ingest "$DATA"/run-* --out "$TMP/out-$1" --jobs "$1" >/dev/null 2>&1
  node bench/campaign/energies.mjs "$TMP/out-$1"
}
export -f slm
export DATA TMP

runs=()
for ((r = 1; r <= REPEAT; r++)); do
  echo "run $r of $REPEAT…" >&2
  runs+=("$(measure slm1 bash -c 'slm 1')")
  runs+=("$(measure slm2 bash -c 'slm 2')")
  runs+=("$(measure pandas "$PY" bench/campaign/pandas_windows.py "$DATA")")
  runs+=("$(measure duckdb node bench/campaign/duckdb-windows.mjs "$DATA")")
done
node bench/campaign/report.mjs "$B" "$I" "$REPEAT" "$(uptime)" "${runs[@]}"
