// The campaign bench's table and last line (see run.sh): medians, the agreement check, speed-ups.
const [b, i, repeatText, load, ...runs] = process.argv.slice(2);
const repeat = Number(repeatText);
const names = ["slm-energy 1 worker", "slm-energy 2 workers", "pandas script", "DuckDB SQL"];
const parse = (s) => {
  const [wall, rssKb, cpu, ...json] = s.split(" ");
  return { wallS: Number(wall), peakMb: Number(rssKb) / 1024, cpuS: Number(cpu), ...JSON.parse(json.join(" ")) };
};
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const all = runs.map(parse);
const c = names.map((_, k) => {
  const rs = all.filter((_, j) => j % names.length === k);
  return {
    wallS: median(rs.map((r) => r.wallS)),
    cpuS: median(rs.map((r) => r.cpuS)),
    peakMb: Math.max(...rs.map((r) => r.peakMb)),
    runs: rs[0].runs,
    walls: rs.map((r) => r.wallS.toFixed(2)).join(" "),
  };
});
const ref = c[2].runs;
const ids = Object.keys(ref);
let worst = 0;
for (const x of c)
  for (const id of ids) {
    const e = x.runs[id];
    const rel = e === undefined ? Infinity : Math.abs(e - ref[id]) / Math.abs(ref[id]);
    worst = Math.max(worst, rel);
  }
const samples = all[2].samples;
const inferences = all[2].inferences;
console.log(`\ncampaign: ${b} bundles × ${i} inferences (${inferences} inferences, ${samples} samples); load: ${load.trim()}\n`);
const row = (k, xs) => console.log(`${k.padEnd(28)}${xs.map((x) => String(x).padStart(22)).join("")}`);
row("", names);
row(`wall time (s, median of ${repeat})`, c.map((x) => x.wallS.toFixed(2)));
row("CPU time, user+sys (s)", c.map((x) => x.cpuS.toFixed(2)));
row("peak memory (MB, max RSS)", c.map((x) => x.peakMb.toFixed(1)));
console.log("");
names.forEach((n, k) => console.log(`each run, wall (s), ${n}: ${c[k].walls}`));
console.log(`per-run inference energy: largest relative difference between contenders ${worst.toExponential(1)} (limit 1e-6)`);
if (!(worst <= 1e-6) || Object.keys(c[0].runs).length !== ids.length) {
  console.error("the contenders disagree on the runs' energies: figures not given");
  process.exit(1);
}
const x = c[2].wallS / c[1].wallS;
const y = c[3].wallS / c[1].wallS;
const z = c[0].wallS / c[1].wallS;
console.log(`goals: ≥ 5× pandas ${x >= 5 ? "met" : "NOT met"}; ≥ 1.7× 1→2 workers ${z >= 1.7 ? "met" : "NOT met"}`);
console.log(`campaign: speed-up vs pandas ${x.toFixed(2)}×, vs DuckDB ${y.toFixed(2)}×; 1→2 workers ${z.toFixed(2)}×; peak ${c[0].peakMb.toFixed(0)} MB per worker`);
