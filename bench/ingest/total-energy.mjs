// slm-energy contender: stream the CSV through readPowerLog and integrate with totalEnergy
// (the built package in dist/). Prints the energy and the in-process time as JSON.
import { totalEnergy } from "../../dist/ingest/energy/index.js";
import { readPowerLog } from "../../dist/io/power/index.js";

const path = process.argv[2];
const t0 = process.hrtime.bigint();
const log = readPowerLog(path, { format: "usb-csv" });
const total = await totalEnergy(log);
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(JSON.stringify({ samples: total.samples, energyJ: total.energyJ, seconds, quarantined: log.summary.quarantined }));
