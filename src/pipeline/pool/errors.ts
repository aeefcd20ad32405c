import { SlmError, type ErrorCode, type Issue } from "../../errors.js";

/**
 * An error as it crosses from a worker thread to the main one: an `SlmError` keeps its code,
 * file, line, field, text, hint and further issues, so the user sees the message of a one-thread
 * run; anything else (a bug) keeps its message only.
 */
export type ErrorData =
  | {
      slm: true;
      code: ErrorCode;
      message: string;
      where: { file?: string; line?: number; field?: string; text?: string; hint?: string; issues: readonly Issue[] };
    }
  | { slm: false; message: string };

export function errorData(e: unknown): ErrorData {
  if (!(e instanceof SlmError)) return { slm: false, message: e instanceof Error ? e.message : String(e) };
  const { file, line, field, text, hint, issues } = e;
  const where = Object.fromEntries(
    Object.entries({ file, line, field, text, hint }).filter(([, v]) => v !== undefined),
  ) as { file?: string; line?: number; field?: string; text?: string; hint?: string };
  return { slm: true, code: e.code, message: e.message, where: { ...where, issues } };
}

/** The error again, on this side. */
export function errorFromData(d: ErrorData): Error {
  if (!d.slm) return new Error(`worker failed: ${d.message}`);
  return new SlmError(d.code, d.message, d.where);
}
