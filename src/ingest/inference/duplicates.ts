import type { InferenceRecord } from "../types.js";
import { clip, type LineParser, type ParseSink } from "./sink.js";

/** Lines kept to quote a duplicate record in its quarantine row (a record spans a few lines). */
const LINES_KEPT = 32;

/** A record's content, without where it is in the file. */
function contentKey(r: InferenceRecord): string {
  return JSON.stringify({ ...r, line: 0, lineEnd: 0 });
}

/**
 * Wrap a format's parser so that a record identical to the one just before it (every figure the
 * same, only its lines differ) is quarantined as "duplicate of line N" instead of becoming a
 * phantom inference: a log doubled by `tee` or a copy-paste, a llama-bench row or an NDJSON line
 * written twice. Two real requests never agree to the nanosecond (Ollama, llama-bench) or to the
 * hundredth of a millisecond on every phase (llama.cpp).
 */
export function dropDuplicateRecords(
  parser: LineParser<InferenceRecord>,
  file: string,
  sink: ParseSink,
): LineParser<InferenceRecord> {
  const recent: [string, number][] = [];
  let last: { key: string; line: number; lineEnd: number } | null = null;
  const textOf = (r: InferenceRecord) =>
    clip(
      recent
        .filter(([, n]) => n >= r.line && n <= (r.lineEnd ?? r.line))
        .map(([t]) => t)
        .join("\n"),
    );
  const filter = (records: InferenceRecord[]): InferenceRecord[] =>
    records.filter((r) => {
      const key = contentKey(r);
      if (last !== null && key === last.key) {
        const where =
          last.lineEnd === last.line ? `line ${last.line}` : `line ${last.line} (lines ${last.line}–${last.lineEnd})`;
        sink.quarantine({
          file,
          line: r.line,
          ...(r.lineEnd !== undefined && r.lineEnd !== r.line ? { lineEnd: r.lineEnd } : {}),
          text: textOf(r),
          reason: `duplicate of ${where}: the same record twice in a row (a log written twice?)`,
        });
        return false;
      }
      last = { key, line: r.line, lineEnd: r.lineEnd ?? r.line };
      return true;
    });
  return {
    push(line, lineNo) {
      recent.push([line, lineNo]);
      if (recent.length > LINES_KEPT) recent.shift();
      return filter(parser.push(line, lineNo));
    },
    end: () => filter(parser.end()),
  };
}

/**
 * Whether a format's payload line repeats the one before it, for the line formats whose lines
 * are figures (llama.cpp timings, `ollama --verbose`): the quarantine reason when it does.
 */
export function createRepeatCheck(): (line: string, lineNo: number) => string | null {
  let prev: { text: string; line: number } | null = null;
  return (line, lineNo) => {
    const text = line.trim();
    const p = prev;
    prev = { text, line: lineNo };
    if (p !== null && p.text === text) {
      prev = p; // a line tripled is a duplicate of the first
      return `duplicate of line ${p.line}: the same line twice in a row (a log written twice?)`;
    }
    return null;
  };
}
