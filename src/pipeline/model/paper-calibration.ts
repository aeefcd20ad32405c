import { join } from "node:path";
import { writeFileAtomic } from "../../io/atomic-write.js";
import { serializeCalibration } from "../../io/calibration.js";
import type { Written } from "../written.js";
import { withPool } from "../pool/pool.js";
import { calibrateOnPool } from "./parallel.js";
import { PATHS } from "../paths.js";
import { loadData } from "./data.js";

/** Where the committed paper calibration lives, relative to the project root. */
export const PAPER_CALIBRATION = PATHS.paperCalibration;

/**
 * Recalibrate the model on the paper's tables with the defaults `slm-energy calibrate` uses
 * (200 bootstrap replicates, seed 1) and write models/calibrated/paper.json atomically. The fit is
 * deterministic, so an unchanged paper leaves the file untouched. The bootstrap refits run on `jobs`
 * worker threads (1: in this thread), the same file either way.
 */
export async function writePaperCalibration(
  root: string,
  options: { bootstrap?: number; seed?: number; jobs?: number } = {},
): Promise<Written[]> {
  const data = loadData(root, {
    paper: true,
    runs: [],
    allowSimulated: false,
    quantOverrides: {},
    powerModeOverrides: {},
  });
  const cal = await withPool(options.jobs ?? 1, (pool) =>
    calibrateOnPool(pool, data.observations, data.world, {
      name: "paper",
      bootstrap: options.bootstrap ?? 200,
      seed: options.seed ?? 1,
      sourceKind: data.kind,
      files: data.files,
      assumptions: data.assumptions,
    }),
  );
  const text = serializeCalibration({ ...cal, source: { ...cal.source, rejected: data.rejected } });
  return [{ path: PAPER_CALIBRATION, changed: writeFileAtomic(join(root, PAPER_CALIBRATION), text) }];
}
