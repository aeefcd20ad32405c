import { join } from "node:path";
import { writeFileAtomic } from "../io/atomic-write.js";
import { runSamplingStudy, type SamplingStudy } from "../simulate/study.js";
import { samplingStudyCsv, samplingStudyMarkdown } from "../simulate/study-report.js";
import { PATHS } from "./paths.js";
import type { Written } from "./written.js";

/** Run the sampling study and write its table (CSV and Markdown) under `figures/tables/`. */
export async function writeSamplingStudy(root: string, study: SamplingStudy = runSamplingStudy()): Promise<Written[]> {
  const base = PATHS.samplingStudyTable;
  const put = (ext: string, text: string): Written => ({
    path: `${base}.${ext}`,
    changed: writeFileAtomic(join(root, `${base}.${ext}`), text),
  });
  return Promise.resolve([put("csv", samplingStudyCsv(study)), put("md", samplingStudyMarkdown(study))]);
}
