import { readFile } from "node:fs/promises";
import { parseLmEvalResults, type ParsedAccuracy } from "../../ingest/accuracy/lm-eval.js";
import { collectingSink } from "../../ingest/inference/sink.js";
import { readError } from "../files.js";

/** Read an lm-evaluation-harness results file (read-only). */
export async function readLmEvalResults(path: string, options: { displayName?: string } = {}): Promise<ParsedAccuracy> {
  const file = options.displayName ?? path;
  let text: string;
  try {
    text = await readFile(path, { encoding: "utf8", flag: "r" });
  } catch (e) {
    throw readError(e, file, "accuracy results file");
  }
  const sink = collectingSink();
  const results = parseLmEvalResults(text, file, sink);
  return { format: "lm-eval-json", results, quarantined: sink.quarantined, warnings: sink.warnings };
}
