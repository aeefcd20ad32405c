// Writes a synthetic power trace `time_s,power_w` with N samples (1 kHz, a 5 W base with a slow
// swing and load steps, 4 decimals) to the given path, streaming, and prints the trapezoid energy
// of the printed values (float64) as a reference both contenders must reproduce.
import { createWriteStream } from "node:fs";

const [path, nText = "10000000"] = process.argv.slice(2);
if (!path) {
  console.error("usage: node bench/ingest/generate.mjs <out.csv> [samples]");
  process.exit(2);
}
const n = Number(nText);
const out = createWriteStream(path);
const write = (s) => (out.write(s) ? Promise.resolve() : new Promise((r) => out.once("drain", r)));
await write("time_s,power_w\n");
let energyJ = 0;
let prevT = 0;
let prevP = 0;
let buf = "";
for (let i = 0; i < n; i++) {
  const tText = (i / 1000).toFixed(3);
  const pText = (5 + 2 * Math.sin(i / 5000) + ((i >> 12) % 3 === 0 ? 1.5 : 0)).toFixed(4);
  const t = Number(tText);
  const p = Number(pText);
  if (i > 0) energyJ += (prevP + p) * 0.5 * (t - prevT);
  prevT = t;
  prevP = p;
  buf += `${tText},${pText}\n`;
  if (buf.length > 1 << 16) {
    await write(buf);
    buf = "";
  }
}
await write(buf);
await new Promise((r) => out.end(r));
console.log(JSON.stringify({ samples: n, energyJ }));
