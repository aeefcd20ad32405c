import type { Command } from "../command.js";
import { optFlag, optList } from "../command.js";
import { usageError } from "../../errors.js";
import { METER_IDS, type MeterId } from "../../simulate/meters/types.js";
import { PATHS } from "../../pipeline/paths.js";
import { writeSamplingStudy } from "../../pipeline/sampling-study.js";
import { runSamplingStudy } from "../../simulate/study.js";

const usage = `Usage: slm-energy sampling-study [--meters ${METER_IDS.join(",")}] [--json] [--no-write]

How wrong is a measured inference energy? For each meter, sampling rate (0.5–100 Hz, as the
meter allows) and inference length (0.05–20 s), simulates back-to-back inferences on a board
idling at 3 W and running at 9 W, writes the meter's log in its real format, reads it with the
ingester's own parser and window integrator, and compares each inference's energy with the exact
truth. Deterministic (seeded); a few seconds.

Writes ${PATHS.samplingStudyTable}.csv (one row per meter × rate × length: median, 95th-percentile
and largest |error| of single inferences, bias, error of the run total, the sensor model's bound)
and ${PATHS.samplingStudyTable}.md (rules of thumb and per-meter grids), and prints the rules of thumb:
"at 1 Hz, inferences shorter than X s are off by more than Y %".

Options:
  --meters M,...  only these meters (default: all)
  --json          print the study as JSON ({"cells": [...], "rules": [...], "assumptions": [...]})
  --no-write      do not write the table files

Exit codes: 0 done, 2 usage.`;

export const samplingStudyCommand: Command = {
  name: "sampling-study",
  summary: "energy error vs sampling rate and inference length, per meter (simulated)",
  usage,
  options: { meters: { type: "string", multiple: true }, json: { type: "boolean" }, "no-write": { type: "boolean" } },
  async run(ctx) {
    const meters = optList(ctx, "meters");
    for (const m of meters ?? [])
      if (!(METER_IDS as readonly string[]).includes(m))
        throw usageError(`--meters: unknown meter "${m}"`, `use any of ${METER_IDS.join(", ")}`);
    const study = runSamplingStudy(meters ? { meters: meters as MeterId[] } : {});
    const written = optFlag(ctx, "no-write") ? [] : await writeSamplingStudy(ctx.root, study);
    if (optFlag(ctx, "json")) {
      ctx.stdout(
        JSON.stringify({ cells: study.cells, rules: study.rules, assumptions: study.assumptions }, null, 2) + "\n",
      );
      return 0;
    }
    ctx.stdout("Rules of thumb (95th percentile of single-inference |error|, simulated):\n");
    for (const r of study.rules.filter((r) => r.sampleHz === 1 && r.thresholdPct === 5))
      ctx.stdout(`  ${r.sentence}\n`);
    for (const w of written) ctx.stdout(`${w.changed ? "wrote" : "unchanged"} ${w.path}\n`);
    return 0;
  },
};
