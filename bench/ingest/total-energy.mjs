// slm-energy contender: whole-file energy from the built package in dist/. With 1 worker, the
// streaming readPowerLog + totalEnergy in this thread; with N > 1, the file's 8 MiB blocks read
// on a pool of N worker threads and stitched (the path `ingest --jobs N` takes for a large power
// CSV). Prints the energy and the in-process time as JSON.
import { totalEnergy } from "../../dist/ingest/energy/index.js";
import { readPowerLog } from "../../dist/io/power/index.js";
import { planSplit } from "../../dist/io/power/blocks.js";
import { totalEnergyOfSplitFile } from "../../dist/io/power/split-read.js";
import { IngestPool } from "../../dist/pipeline/ingest/pool.js";

const [path, jobsText = "1"] = process.argv.slice(2);
const jobs = Number(jobsText);
const t0 = process.hrtime.bigint();
let total;
let quarantined;
if (jobs <= 1) {
  const log = readPowerLog(path, { format: "usb-csv" });
  total = await totalEnergy(log);
  quarantined = log.summary.quarantined;
} else {
  const plan = await planSplit(path, { format: "usb-csv" });
  const pool = new IngestPool(jobs);
  try {
    const r = await totalEnergyOfSplitFile(plan, {}, { runner: (t) => pool.block(t) });
    total = r.total;
    quarantined = r.summary.quarantined;
  } finally {
    await pool.close();
  }
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(JSON.stringify({ samples: total.samples, energyJ: total.energyJ, seconds, quarantined }));
