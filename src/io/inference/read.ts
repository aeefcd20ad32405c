import { runLineParser } from "../../ingest/inference/lines.js";
import { inferenceParser, resolveInferenceFormat, type ReadInferenceOptions } from "../../ingest/inference/read.js";
import { sinkFrom } from "../../ingest/inference/sink.js";
import type { InferenceRecord } from "../../ingest/types.js";
import { readHead, readLines } from "./read-lines.js";

/**
 * Stream the inference records of a log file, detecting its format unless given. The file is
 * opened read-only and read once (plus its first 64 KiB for detection); memory stays constant
 * except for llama-bench/Ollama JSON values, which are held one record at a time.
 */
export async function* readInferenceLog(
  path: string,
  options: ReadInferenceOptions = {},
): AsyncGenerator<InferenceRecord> {
  const file = options.displayName ?? path;
  const head = await readHead(path);
  const format = resolveInferenceFormat(head, file, options.format);
  yield* runLineParser(readLines(path), inferenceParser(format, file, sinkFrom(options), options));
}
