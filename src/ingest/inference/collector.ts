import type { CollectorRecordV1, InferenceRecord } from "../types.js";
import { clip, type LineParser, type ParseSink } from "./sink.js";

/** The schema id every line of a collector JSONL file carries. */
export const COLLECTOR_SCHEMA = "slm-energy/inference@1";

type Check = (v: unknown) => string | null;

const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const count: Check = (v) => (isNum(v) && Number.isInteger(v) && v >= 0 ? null : "expected an integer ≥ 0");
const epoch: Check = (v) => (isNum(v) && v >= 0 ? null : "expected epoch seconds (a number ≥ 0)");
const durationMs: Check = (v) => (isNum(v) && v >= 0 ? null : "expected milliseconds (a number ≥ 0)");

/** Field-by-field schema of `CollectorRecordV1`; each check returns what is wrong, or null. */
const FIELDS: Record<keyof CollectorRecordV1, Check> = {
  schema: (v) => (v === COLLECTOR_SCHEMA ? null : `expected "${COLLECTOR_SCHEMA}"`),
  index: count,
  item_id: (v) => (v === null || typeof v === "string" ? null : "expected a string or null"),
  start_s: epoch,
  end_s: epoch,
  prompt_tokens: count,
  gen_tokens: count,
  prefill_ms: durationMs,
  decode_ms: durationMs,
  correct: (v) => (v === null || typeof v === "boolean" ? null : "expected true, false or null"),
};

/**
 * Validate one parsed line as a `CollectorRecordV1`. Returns the problems, each naming its
 * field; an empty list means the record is valid. Unknown extra fields are allowed (later
 * collector versions may add some); missing ones are not.
 */
export function validateCollectorRecord(value: unknown): string[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return ["expected a JSON object"];
  const obj = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const [key, check] of Object.entries(FIELDS)) {
    if (!(key in obj)) {
      problems.push(`field "${key}": missing`);
      continue;
    }
    const p = check(obj[key]);
    if (p) problems.push(`field "${key}": ${p}, found ${clip(JSON.stringify(obj[key]), 60)}`);
  }
  if (problems.length === 0) {
    const r = obj as unknown as CollectorRecordV1;
    if (r.end_s < r.start_s) problems.push(`field "end_s": ${r.end_s} is before start_s ${r.start_s}`);
    const wallMs = (r.end_s - r.start_s) * 1000;
    // Prefill and decode happen inside [start, end]: allow 1 ms (or 1%) of clock rounding.
    if (r.prefill_ms + r.decode_ms > wallMs + Math.max(1, 0.01 * wallMs)) {
      problems.push(
        `fields "prefill_ms" + "decode_ms": ${(r.prefill_ms + r.decode_ms).toFixed(3)} ms ` +
          `exceed end_s − start_s = ${wallMs.toFixed(3)} ms`,
      );
    }
  }
  return problems;
}

/**
 * The collector's JSONL (`CollectorRecordV1`, one inference per line). Every field is validated;
 * a line that fails is quarantined with all its problems. Records out of order (an index or a
 * start time going backwards) and repeated indexes are quarantined too: the collector writes
 * them in order, so such a line means two files were mixed or a line was duplicated.
 */
export function createCollectorParser(file: string, sink: ParseSink): LineParser<InferenceRecord> {
  const seen = new Set<number>();
  let lastStart = -Infinity;
  return {
    push(line, lineNo) {
      if (line.trim() === "") return [];
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (e) {
        sink.quarantine({
          file,
          line: lineNo,
          text: clip(line),
          reason: `not valid JSON (truncated line?): ${(e as Error).message}`,
        });
        return [];
      }
      const problems = validateCollectorRecord(value);
      if (problems.length > 0) {
        sink.quarantine({ file, line: lineNo, text: clip(line), reason: problems.join("; ") });
        return [];
      }
      const r = value as CollectorRecordV1;
      if (seen.has(r.index)) {
        sink.quarantine({
          file,
          line: lineNo,
          text: clip(line),
          reason: `field "index": ${r.index} already seen (duplicated line?)`,
        });
        return [];
      }
      if (r.start_s < lastStart) {
        sink.quarantine({
          file,
          line: lineNo,
          text: clip(line),
          reason:
            `field "start_s": ${r.start_s} goes back in time from the previous record's ${lastStart} ` +
            "(mixed files?)",
        });
        return [];
      }
      seen.add(r.index);
      lastStart = r.start_s;
      return [
        {
          startS: r.start_s,
          endS: r.end_s,
          promptTokens: r.prompt_tokens,
          promptMs: r.prefill_ms,
          genTokens: r.gen_tokens,
          genMs: r.decode_ms,
          totalMs: (r.end_s - r.start_s) * 1000,
          correct: r.correct,
          line: lineNo,
          lineEnd: lineNo,
          index: r.index,
          itemId: r.item_id,
        },
      ];
    },
    end: () => [],
  };
}
