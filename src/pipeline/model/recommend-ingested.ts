import { existsSync } from "node:fs";
import { join } from "node:path";
import { ingestedCandidates, type IngestedCandidates } from "../../recommend/ingested.js";
import type { BootstrapOptions } from "../../stats/bootstrap.js";
import { readInferenceSamples, simulatedRunIds } from "../../io/inference-samples.js";
import { runUncertainty } from "../../stats/ingested.js";
import { PATHS } from "../paths.js";

const file = (p: string): string => p.slice(PATHS.processedDir.length + 1);

/** The ingested runs of a processed folder (`inferences.csv`, `runs.csv`) as candidates; none when absent. */
export function loadIngestedCandidates(processedDir: string, options: BootstrapOptions = {}): IngestedCandidates {
  const inferences = join(processedDir, file(PATHS.inferencesCsv));
  if (!existsSync(inferences)) return { candidates: [], excluded: [], runs: 0 };
  return ingestedCandidates(
    runUncertainty(readInferenceSamples(inferences), options),
    simulatedRunIds(join(processedDir, file(PATHS.runsCsv))),
  );
}
