import { INFERENCE_FORMATS, type InferenceFormat } from "../types.js";
import { splitCsvLine } from "./csv-line.js";
import { findLlamaBenchMdHeader, isLlamaBenchTableCsvHeader } from "./llama-bench-md.js";
import { isLlamaCppTimingLine } from "./llama-cpp.js";
import { isOllamaVerboseLine } from "./ollama.js";

/** What detection found: the format, or why none (several candidates = mixed formats). */
export interface InferenceDetection {
  format: InferenceFormat | null;
  /** Every format with evidence in the text, with the first line showing it. */
  evidence: { format: InferenceFormat; line: number }[];
  /** Set when the text is a known output that cannot be read, with what to do instead. */
  unsupported?: { what: string; hint: string; line: number };
}

const jsonKeys = (text: string): Set<string> => {
  const keys = new Set<string>();
  const re = /"([A-Za-z_][\w-]*)"\s*:/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) keys.add(m[1]!);
  return keys;
};

function jsonFormat(keys: Set<string>, text: string): InferenceFormat | null {
  if (text.includes('"slm-energy/inference@1"')) return "collector-jsonl";
  if (keys.has("n_prompt") && keys.has("n_gen") && (keys.has("avg_ns") || keys.has("samples_ns")))
    return "llama-bench-json";
  if (
    keys.has("done") &&
    (keys.has("eval_count") || keys.has("total_duration") || keys.has("response") || keys.has("message"))
  ) {
    return "ollama-json";
  }
  return null;
}

/**
 * Recognise an inference log from its first lines (pass the head of the file: 64 KiB is
 * plenty). Structured formats are recognised by their field names, text formats by counting
 * their characteristic lines; a text with lines of two formats is reported as mixed (two
 * entries in `evidence`, `format` null).
 */
export function detectInferenceFormatDetailed(text: string): InferenceDetection {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  const firstIdx = lines.findIndex((l) => l.trim() !== "");
  if (firstIdx < 0) return { format: null, evidence: [] };
  const first = lines[firstIdx]!.trim();
  const firstLine = firstIdx + 1;
  // JSON outputs: recognised by their keys, also when corrupted lines (quarantined later) come first.
  const significant = lines.filter((l) => l.trim() !== "").slice(0, 200);
  const jsonish = significant.filter((l) => /^\s*[{[]/.test(l)).length;
  if (jsonish > 0) {
    const format = jsonFormat(jsonKeys(text), text);
    if (format) return { format, evidence: [{ format, line: firstLine }] };
    // Not a known JSON output: may be a text log whose first line is JSON (llama-server logs).
  }
  if (first.includes(",")) {
    const header = splitCsvLine(first).fields?.map((h) => h.trim()) ?? [];
    if (header.includes("n_prompt") && header.includes("n_gen")) {
      return { format: "llama-bench-csv", evidence: [{ format: "llama-bench-csv", line: firstLine }] };
    }
    // The markdown table converted to CSV by a script (Model,…,Test,Speed (t/s)): read as the table.
    if (isLlamaBenchTableCsvHeader(first))
      return { format: "llama-bench-md", evidence: [{ format: "llama-bench-md", line: firstLine }] };
  }
  const mdHeader = findLlamaBenchMdHeader(lines);
  if (mdHeader !== null) return { format: "llama-bench-md", evidence: [{ format: "llama-bench-md", line: mdHeader }] };
  const evidence: { format: InferenceFormat; line: number }[] = [];
  let llama = 0;
  let ollama = 0;
  lines.forEach((l, i) => {
    if (isOllamaVerboseLine(l)) {
      if (ollama++ === 0) evidence.push({ format: "ollama-verbose", line: i + 1 });
    } else if (isLlamaCppTimingLine(l)) {
      if (llama++ === 0) evidence.push({ format: "llama-cpp", line: i + 1 });
    }
  });
  if (evidence.length === 1) return { format: evidence[0]!.format, evidence };
  return { format: null, evidence };
}

/** The inference format of a text, or null when unknown or mixed. */
export function detectInferenceFormat(text: string): InferenceFormat | null {
  return detectInferenceFormatDetailed(text).format;
}

export function isInferenceFormat(s: string): s is InferenceFormat {
  return (INFERENCE_FORMATS as readonly string[]).includes(s);
}
