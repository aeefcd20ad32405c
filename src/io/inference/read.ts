import { createHash } from "node:crypto";
import { MAX_INFERENCE_LINE_BYTES, runLineParser } from "../../ingest/inference/lines.js";
import { inferenceParser, resolveInferenceFormat, type ReadInferenceOptions } from "../../ingest/inference/read.js";
import { clip, sinkFrom } from "../../ingest/inference/sink.js";
import type { InferenceRecord } from "../../ingest/types.js";
import { readHead, readLines } from "./read-lines.js";

export interface ReadInferenceFileOptions extends ReadInferenceOptions {
  /** Called with the file's sha256 (hashed as it streams) once every record has been read. */
  onSha256?: (sha256: string) => void;
}

/**
 * Stream the inference records of a log file, detecting its format unless given. The file is
 * opened read-only and read once (plus its first 64 KiB for detection); memory stays constant
 * except for llama-bench/Ollama JSON values, which are held one record at a time.
 */
export async function* readInferenceLog(
  path: string,
  options: ReadInferenceFileOptions = {},
): AsyncGenerator<InferenceRecord> {
  const file = options.displayName ?? path;
  const head = await readHead(path, undefined, file);
  const format = resolveInferenceFormat(head, file, options.format);
  const hash = options.onSha256 ? createHash("sha256") : undefined;
  const sink = sinkFrom(options);
  const onLongLine = (line: number, text: string, bytes: number) =>
    sink.quarantine({
      file,
      line,
      text: clip(`${text}…`),
      reason: `a line of ${bytes} bytes, longer than ${MAX_INFERENCE_LINE_BYTES >> 20} MiB: no record, not read`,
    });
  const lines = readLines(path, hash, { file, onLongLine });
  yield* runLineParser(lines, inferenceParser(format, file, sink, options));
  if (hash) options.onSha256!(hash.digest("hex"));
}
