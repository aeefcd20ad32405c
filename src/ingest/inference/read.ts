import { inputError } from "../../errors.js";
import { INFERENCE_FORMATS, type InferenceFormat, type InferenceRecord } from "../types.js";
import { createCollectorParser } from "./collector.js";
import { detectInferenceFormatDetailed, isInferenceFormat } from "./detect.js";
import { dropDuplicateRecords } from "./duplicates.js";
import { createLlamaBenchCsvParser, createLlamaBenchJsonParser } from "./llama-bench.js";
import { createLlamaBenchMdParser } from "./llama-bench-md.js";
import { createLlamaCppParser } from "./llama-cpp.js";
import { createOllamaJsonParser, createOllamaVerboseParser, type OllamaOptions } from "./ollama.js";
import { detectionHead, runLineParser, textLines } from "./lines.js";
import { collectingSink, type LineParser, type ParseSink, type SinkOptions } from "./sink.js";
import type { IngestWarning, QuarantineEntry } from "../types.js";

export interface ReadInferenceOptions extends SinkOptions, OllamaOptions {
  /** Skip detection and read as this format. */
  format?: InferenceFormat;
  /** The name files are reported under (quarantine, warnings, errors); defaults to the path. */
  displayName?: string;
}

/** The streaming parser of a format; a record repeating the one before it is quarantined. */
export function inferenceParser(
  format: InferenceFormat,
  file: string,
  sink: ParseSink,
  options: OllamaOptions = {},
): LineParser<InferenceRecord> {
  return dropDuplicateRecords(formatParser(format, file, sink, options), file, sink);
}

function formatParser(
  format: InferenceFormat,
  file: string,
  sink: ParseSink,
  options: OllamaOptions,
): LineParser<InferenceRecord> {
  switch (format) {
    case "llama-cpp":
      return createLlamaCppParser(file, sink);
    case "llama-bench-csv":
      return createLlamaBenchCsvParser(file, sink);
    case "llama-bench-json":
      return createLlamaBenchJsonParser(file, sink);
    case "llama-bench-md":
      return createLlamaBenchMdParser(file, sink);
    case "ollama-json":
      return createOllamaJsonParser(file, sink, options);
    case "ollama-verbose":
      return createOllamaVerboseParser(file, sink, options);
    case "collector-jsonl":
      return createCollectorParser(file, sink);
  }
}

/**
 * Decide the format of an inference log from its head: the override when given (checked
 * against what the text looks like), else detection. Throws E_INPUT naming the file for empty
 * files, unknown or mixed formats and files that are not what the caller says.
 */
export function resolveInferenceFormat(head: string, file: string, declared?: InferenceFormat): InferenceFormat {
  if (declared !== undefined && !isInferenceFormat(declared)) {
    throw inputError(`unknown inference format "${String(declared)}"`, {
      file,
      hint: `use one of ${INFERENCE_FORMATS.join(", ")}`,
    });
  }
  if (head.trim() === "") {
    throw inputError("the file is empty", {
      file,
      hint: "check that the run wrote its log (and that this is the right file)",
    });
  }
  const d = detectInferenceFormatDetailed(head);
  if (d.unsupported) {
    throw inputError(`this is ${d.unsupported.what}, which cannot be ingested`, {
      file,
      line: d.unsupported.line,
      hint: d.unsupported.hint,
    });
  }
  if (d.evidence.length > 1) {
    const [a, b] = d.evidence as [(typeof d.evidence)[0], (typeof d.evidence)[0]];
    if (declared === undefined || !d.evidence.some((e) => e.format === declared)) {
      throw inputError(
        `mixed formats: ${a.format} lines (first at line ${a.line}) and ${b.format} lines (first at line ${b.line})`,
        {
          file,
          line: b.line,
          hint: "split the file into one file per tool, or pass the format to read and ignore the other lines",
        },
      );
    }
  }
  if (declared !== undefined) {
    if (d.format !== null && d.format !== declared) {
      throw inputError(`the file is declared ${declared} but looks like ${d.format}`, {
        file,
        line: d.evidence[0]?.line,
        hint: `fix the format named for this file, or check that this is the right file`,
      });
    }
    return declared;
  }
  if (d.format === null) {
    const lines = head.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
    const first = Math.max(
      0,
      lines.findIndex((l) => l.trim() !== ""),
    );
    throw inputError("cannot recognise the inference log format", {
      file,
      line: first + 1,
      text: lines[first] ?? "",
      hint:
        `pass the format explicitly (one of ${INFERENCE_FORMATS.join(", ")}); ` +
        '"slm-energy inspect --help" lists them',
    });
  }
  return d.format;
}

/** Everything `parseInferenceText` returns. */
export interface ParsedInference {
  format: InferenceFormat;
  records: InferenceRecord[];
  quarantined: QuarantineEntry[];
  warnings: IngestWarning[];
}

/** Parse an inference log held in memory (tests, notebooks). Same rules as `readInferenceLog`. */
export async function parseInferenceText(
  text: string,
  options: { file?: string; format?: InferenceFormat } & OllamaOptions = {},
): Promise<ParsedInference> {
  const file = options.file ?? "<text>";
  const format = resolveInferenceFormat(detectionHead(text), file, options.format);
  const sink = collectingSink();
  const records: InferenceRecord[] = [];
  for await (const r of runLineParser(textLines(text), inferenceParser(format, file, sink, options))) records.push(r);
  return { format, records, quarantined: sink.quarantined, warnings: sink.warnings };
}
