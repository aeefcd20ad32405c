#!/usr/bin/env bash
# Benchmark: whole-file energy of a 10-million-sample power trace, side by side in one run on the
# same file: slm-energy with 1 worker (streaming readPowerLog + totalEnergy, from dist/) and with
# 2 workers (the file's 8 MiB blocks on a worker_threads pool, as `ingest --jobs 2` reads a large
# power CSV), pandas read_csv + numpy.trapz (Debian's python3-pandas) and DuckDB read_csv + the
# trapezoid in SQL (through @duckdb/node-api). Prints wall time, in-process time, CPU time and
# peak memory (max RSS from /usr/bin/time), and checks every energy against the generator's
# reference. Goals (issue 16): ≥ 4× pandas and ahead of DuckDB, ≤ 64 MB per worker.
# Each contender runs REPEAT times (default 5), alternating, and the medians are shown: the
# machine may be shared, and one run of any can be slowed by a neighbour. The last line is
#   speed-up vs pandas X×, vs DuckDB Y×; peak Z MB
# (slm-energy's faster setting against each; Z its peak RSS, the whole process).
# Usage: bash bench/ingest/run.sh [samples]   (default 10000000; the trace lives in a temp dir)
#        REPEAT=5 bash bench/ingest/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-10000000}"
REPEAT="${REPEAT:-5}"
PY=/usr/bin/python3
TIME=/usr/bin/time

. bench/lib/baseline-tools.sh
ensure_baseline_tools

# Build dist/ (errors elsewhere in the tree do not stop the emit); require the modules we time.
node node_modules/typescript/bin/tsc -p tsconfig.json >/dev/null
[ -f dist/pipeline/ingest/worker.js ] || { echo "dist/ is not built: run npm run build" >&2; exit 1; }

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
CSV="$TMP/trace.csv"
echo "generating $N samples…" >&2
REF="$(node bench/ingest/generate.mjs "$CSV" "$N")"
SIZE_MB=$(( $(stat -c %s "$CSV") / 1000000 ))
cat "$CSV" >/dev/null # both contenders read from the page cache

measure() { # name, command…  → "wall_s max_rss_kb cpu_s json"
  local name="$1"; shift
  local out
  out="$("$TIME" -f "__TIME__ %e %M %U %S" "$@" 2>"$TMP/$name.err")" || { cat "$TMP/$name.err" >&2; exit 1; }
  local t; t="$(grep __TIME__ "$TMP/$name.err" | tail -1)"
  echo "$(echo "$t" | awk '{print $2, $3, $4 + $5}') $out"
}

names=(slm-1 slm-2 pandas duckdb)
runs=()
for ((r = 1; r <= REPEAT; r++)); do
  echo "run $r of $REPEAT…" >&2
  runs+=("$(measure slm1 node bench/ingest/total-energy.mjs "$CSV" 1)")
  runs+=("$(measure slm2 node bench/ingest/total-energy.mjs "$CSV" 2)")
  runs+=("$(measure pandas "$PY" bench/ingest/pandas_baseline.py "$CSV")")
  runs+=("$(measure duckdb node bench/ingest/duckdb-total.mjs "$CSV")")
done

node - "$N" "$SIZE_MB" "$REF" "$REPEAT" "$(uptime)" "${runs[@]}" <<'JS'
const [n, sizeMb, refJson, repeatText, load, ...runs] = process.argv.slice(2);
const repeat = Number(repeatText);
const ref = JSON.parse(refJson);
const names = ["slm-energy 1 worker", "slm-energy 2 workers", "pandas+numpy", "DuckDB read_csv"];
const parse = (s) => {
  const [wall, rssKb, cpu, ...json] = s.split(" ");
  return { wallS: Number(wall), peakMb: Number(rssKb) / 1024, cpuS: Number(cpu), ...JSON.parse(json.join(" ")) };
};
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const combine = (rs) => ({
  wallS: median(rs.map((r) => r.wallS)),
  seconds: median(rs.map((r) => r.seconds)),
  cpuS: median(rs.map((r) => r.cpuS)),
  peakMb: Math.max(...rs.map((r) => r.peakMb)),
  samples: rs[0].samples,
  energyJ: rs[0].energyJ,
  walls: rs.map((r) => r.wallS.toFixed(2)).join(" "),
});
const all = runs.map(parse);
const c = names.map((_, k) => combine(all.filter((_, i) => i % names.length === k)));
const row = (k, xs) => console.log(`${k.padEnd(28)}${xs.map((x) => String(x).padStart(22)).join("")}`);
console.log(`\nwhole-file energy of ${Number(n).toLocaleString("en")} samples (${sizeMb} MB CSV); load: ${load.trim()}\n`);
row("", names);
row(`wall time (s, median of ${repeat})`, c.map((x) => x.wallS.toFixed(2)));
row("in-process time (s)", c.map((x) => x.seconds.toFixed(2)));
row("CPU time, user+sys (s)", c.map((x) => x.cpuS.toFixed(2)));
row("peak memory (MB, max RSS)", c.map((x) => x.peakMb.toFixed(1)));
row("samples", c.map((x) => x.samples));
row("energy (J)", c.map((x) => x.energyJ.toFixed(4)));
console.log("");
names.forEach((name, k) => console.log(`each run, wall (s), ${name}: ${c[k].walls}`));
const rel = (x) => Math.abs(x - ref.energyJ) / ref.energyJ;
console.log(`reference energy ${ref.energyJ.toFixed(4)} J; relative error ${names.map((m, k) => `${m} ${rel(c[k].energyJ).toExponential(1)}`).join(", ")}`);
const best = c[0].wallS <= c[1].wallS ? c[0] : c[1];
const vsPandas = c[2].wallS / best.wallS;
const vsDuck = c[3].wallS / best.wallS;
console.log(`1 → 2 workers: ${(c[0].wallS / c[1].wallS).toFixed(2)}×`);
console.log(`goals: ≥ 4× pandas ${vsPandas >= 4 ? "met" : "NOT met"}; ahead of DuckDB ${vsDuck > 1 ? "met" : "NOT met"}; ≤ 64 MB per worker ${best.peakMb <= 64 ? "met" : "NOT met (whole-process RSS)"}`);
const bad = c.slice(0, 2).some((x) => rel(x.energyJ) > 1e-9 || x.samples !== Number(n));
console.log(`speed-up vs pandas ${vsPandas.toFixed(2)}×, vs DuckDB ${vsDuck.toFixed(2)}×; peak ${best.peakMb.toFixed(0)} MB`);
if (bad) {
  console.error("slm-energy's energy or sample count disagrees with the reference");
  process.exit(1);
}
JS
