import { parseJsonDocument } from "../io/json.js";

/**
 * Retiring: the string-path view of io/json.ts's documents that JsonCursor (json-cursor.ts) reads.
 * Its last user is model/calibration-file.ts; delete this file and json-cursor.ts once that reads
 * through a zod schema in io/ instead.
 */
export interface JsonDocument {
  file: string;
  value: unknown;
  /** Line (1-based) where the value at `path` (`a.b[2].c`) starts; for a missing key, its parent's line. */
  lineOf(path: string): number | undefined;
}

/** Strict JSON (RFC 8259) with the line of every value, parsed by io/json.ts. */
export function parseJsonWithLines(text: string, file: string): JsonDocument {
  const doc = parseJsonDocument(text, file);
  return { file, value: doc.value, lineOf: (path) => doc.lineAt(splitPath(path)) };
}

/** `a.b[2].c` → ["a", "b", 2, "c"] */
function splitPath(path: string): (string | number)[] {
  return [...path.matchAll(/\[(\d+)\]|([^.[\]]+)/g)].map((m) => (m[1] === undefined ? m[2]! : Number(m[1])));
}
