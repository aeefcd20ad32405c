#!/usr/bin/env bash
# Benchmark: whole-file energy of a 10-million-sample power trace, slm-energy (streaming
# readPowerLog + totalEnergy, from dist/) against pandas read_csv + numpy.trapz (Debian's
# python3-pandas), in the same run on the same file. Prints wall time, in-process time, CPU time
# and peak memory (max RSS from /usr/bin/time) side by side, and checks both energies against the
# generator's reference. Goal: ≥ 2× faster than pandas, < 100 MB peak whatever the file size.
# Each contender runs REPEAT times (default 3), alternating, and the medians are shown: the
# machine may be shared, and one run of either can be slowed by a neighbour.
# Usage: bash bench/ingest/run.sh [samples]   (default 10000000; the trace lives in a temp dir)
#        REPEAT=5 bash bench/ingest/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-10000000}"
REPEAT="${REPEAT:-3}"
PY=/usr/bin/python3
TIME=/usr/bin/time

if ! "$PY" -c "import pandas" 2>/dev/null; then
  echo "installing python3-pandas (Debian) for the baseline…" >&2
  (apt-get install -y python3-pandas >/dev/null 2>&1 || sudo apt-get install -y python3-pandas >/dev/null) || {
    echo "python3-pandas is missing and could not be installed: apt-get install python3-pandas" >&2
    exit 1
  }
fi
[ -x "$TIME" ] || { echo "/usr/bin/time is missing: apt-get install time" >&2; exit 1; }

# Build dist/ (errors elsewhere in the tree do not stop the emit); require the modules we time.
node node_modules/typescript/bin/tsc -p tsconfig.json >/dev/null
[ -f dist/ingest/energy/total.js ] || { echo "dist/ is not built: run npm run build" >&2; exit 1; }

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

node_runs=()
py_runs=()
for ((r = 1; r <= REPEAT; r++)); do
  echo "run $r of $REPEAT…" >&2
  node_runs+=("$(measure node node bench/ingest/total-energy.mjs "$CSV")")
  py_runs+=("$(measure pandas "$PY" bench/ingest/pandas_baseline.py "$CSV")")
done

node - "$N" "$SIZE_MB" "$REF" "$REPEAT" "${node_runs[@]}" "${py_runs[@]}" <<'JS'
const [n, sizeMb, refJson, repeatText, ...runs] = process.argv.slice(2);
const repeat = Number(repeatText);
const ref = JSON.parse(refJson);
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
const a = combine(runs.slice(0, repeat).map(parse)), b = combine(runs.slice(repeat).map(parse));
const row = (k, x, y) => console.log(`${k.padEnd(30)}${String(x).padStart(20)}${String(y).padStart(20)}`);
console.log(`\nwhole-file energy of ${Number(n).toLocaleString("en")} samples (${sizeMb} MB CSV)\n`);
row("", "slm-energy", "pandas+numpy");
row(`wall time (s, median of ${repeat})`, a.wallS.toFixed(2), b.wallS.toFixed(2));
row("in-process time (s)", a.seconds.toFixed(2), b.seconds.toFixed(2));
row("CPU time, user+sys (s)", a.cpuS.toFixed(2), b.cpuS.toFixed(2));
row("peak memory (MB, max RSS)", a.peakMb.toFixed(1), b.peakMb.toFixed(1));
row("samples", a.samples, b.samples);
row("energy (J)", a.energyJ.toFixed(4), b.energyJ.toFixed(4));
const rel = (x) => Math.abs(x - ref.energyJ) / ref.energyJ;
console.log(`\neach run, wall (s): slm-energy ${a.walls}; pandas ${b.walls}`);
console.log(`reference energy ${ref.energyJ.toFixed(4)} J; relative error slm-energy ${rel(a.energyJ).toExponential(1)}, pandas ${rel(b.energyJ).toExponential(1)}`);
const speedup = b.wallS / a.wallS;
console.log(`speed-up (wall): ${speedup.toFixed(2)}×  [goal ≥ 2×: ${speedup >= 2 ? "met" : "NOT met"}]`);
console.log(`speed-up (CPU time, less sensitive to a busy machine): ${(b.cpuS / a.cpuS).toFixed(2)}×`);
console.log(`peak memory: ${a.peakMb.toFixed(1)} MB  [goal < 100 MB: ${a.peakMb < 100 ? "met" : "NOT met"}]`);
if (rel(a.energyJ) > 1e-9 || a.samples !== Number(n)) {
  console.error("slm-energy's energy or sample count disagrees with the reference");
  process.exit(1);
}
JS
