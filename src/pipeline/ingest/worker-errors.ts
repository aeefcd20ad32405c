import { SlmError, type ErrorCode, type Issue } from "../../errors.js";
import type { QuarantineEntry } from "../../ingest/types.js";

/**
 * An error as it crosses from a worker thread to the main one: an `SlmError` keeps its code,
 * file, line, field, text, hint, further issues and the rows quarantined before it, so that the
 * user sees the same message as from an ingest on one thread; anything else (a bug) keeps its
 * message only.
 */
export type ErrorData =
  | {
      slm: true;
      code: ErrorCode;
      message: string;
      file?: string;
      line?: number;
      field?: string;
      text?: string;
      hint?: string;
      issues: readonly Issue[];
      quarantined: readonly QuarantineEntry[];
    }
  | { slm: false; message: string };

export function errorData(e: unknown, quarantined: readonly QuarantineEntry[]): ErrorData {
  if (!(e instanceof SlmError)) return { slm: false, message: e instanceof Error ? e.message : String(e) };
  return {
    slm: true,
    code: e.code,
    message: e.message,
    ...(e.file === undefined ? {} : { file: e.file }),
    ...(e.line === undefined ? {} : { line: e.line }),
    ...(e.field === undefined ? {} : { field: e.field }),
    ...(e.text === undefined ? {} : { text: e.text }),
    ...(e.hint === undefined ? {} : { hint: e.hint }),
    issues: e.issues,
    quarantined,
  };
}

/** The error again, on this side; `keep` receives the quarantined rows of an `SlmError`. */
export function errorFromData(d: ErrorData, keep: (e: SlmError, rows: readonly QuarantineEntry[]) => void): Error {
  if (!d.slm) return new Error(`ingest worker failed: ${d.message}`);
  const { code, message, quarantined, file, line, field, text, hint, issues } = d;
  const where = { file, line, field, text, hint, issues };
  const e = new SlmError(code, message, Object.fromEntries(Object.entries(where).filter(([, v]) => v !== undefined)));
  if (quarantined.length > 0) keep(e, quarantined);
  return e;
}
