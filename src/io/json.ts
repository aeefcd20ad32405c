import {
  findNodeAtLocation,
  getNodeValue,
  parseTree,
  printParseErrorCode,
  type Node,
  type ParseError,
} from "jsonc-parser";
import type { z } from "zod";
import { inputError, type Issue, type SlmError } from "../errors.js";

/**
 * JSON documents that remember where each value is, so a schema problem names file, line and field.
 * Parsing is strict JSON (RFC 8259): comments and trailing commas are errors. Offsets come from
 * jsonc-parser's syntax tree; lines are counted from them once per document.
 */
export interface JsonDocument {
  file: string;
  value: unknown;
  /** Line (1-based) where the value at `path` starts; for a missing key, the nearest parent's line. */
  lineAt(path: readonly PropertyKey[]): number | undefined;
}

const SYNTAX_HINT = "fix the JSON syntax (strict JSON: double-quoted keys, no comments, no trailing commas)";

/** Parses `text` (named `file` in errors); a syntax error is an input error at its line. */
export function parseJsonDocument(text: string, file: string): JsonDocument {
  const body = text.replace(/^\uFEFF/, "");
  const errors: ParseError[] = [];
  const root = parseTree(body, errors, { disallowComments: true, allowTrailingComma: false });
  const lineOf = lineIndex(body);
  const first = errors[0];
  if (first !== undefined || root === undefined) {
    const offset = first?.offset ?? 0;
    throw inputError(`invalid JSON: ${first === undefined ? "empty document" : describe(first)}`, {
      file,
      line: lineOf(offset),
      text: body.slice(offset, offset + 40).split("\n")[0] ?? "",
      hint: SYNTAX_HINT,
    });
  }
  const duplicates = duplicateKeys(root, lineOf, file);
  if (duplicates.length > 0) throw issuesError(duplicates);
  return {
    file,
    value: getNodeValue(root),
    lineAt(path) {
      for (let n = path.length; n >= 0; n--) {
        const node = findNodeAtLocation(root, path.slice(0, n) as (string | number)[]);
        if (node !== undefined) return lineOf((node.parent?.type === "property" ? node.parent : node).offset);
      }
      return undefined;
    },
  };
}

/**
 * Keys given twice in one object (JSON parsers keep the last silently, so a hand-edited manifest
 * could mean either): one issue per repeat, naming both lines. Iterative, so depth is no risk.
 */
function duplicateKeys(root: Node, lineOf: (offset: number) => number, file: string): Issue[] {
  const issues: Issue[] = [];
  const stack: { node: Node; path: (string | number)[] }[] = [{ node: root, path: [] }];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    if (node.type === "array") node.children?.forEach((c, i) => stack.push({ node: c, path: [...path, i] }));
    if (node.type !== "object") continue;
    const seen = new Map<string, number>();
    for (const prop of node.children ?? []) {
      const [keyNode, valueNode] = prop.children ?? [];
      if (keyNode === undefined) continue;
      const key = String(keyNode.value);
      const line = lineOf(prop.offset);
      const before = seen.get(key);
      if (before !== undefined) {
        issues.push({
          message: `invalid JSON: duplicate key "${key}"`,
          file,
          line,
          field: fieldPath([...path, key]),
          hint: `"${key}" is given at lines ${before} and ${line} (JSON readers silently keep the last): keep one`,
        });
      } else seen.set(key, line);
      if (valueNode !== undefined) stack.push({ node: valueNode, path: [...path, key] });
    }
  }
  return issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

/** `a.b[2].c` — the field path style of every error message. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const k of path) out += typeof k === "number" ? `[${k}]` : out === "" ? String(k) : `.${String(k)}`;
  return out;
}

export interface DecodeOptions {
  /** Said after every issue that carries no hint of its own. */
  hint?: string;
  /** Prefixed to every field path (for a record that sits inside a larger document). */
  at?: readonly PropertyKey[];
}

/**
 * Validates a document's value (or `value`, a part of it at `options.at`) against a zod schema.
 * Every issue becomes part of one input error: the first names file, line and field; the rest ride
 * along in `issues`, so a file with several bad fields reports all of them at once.
 */
export function decodeJson<S extends z.ZodType>(
  schema: S,
  doc: JsonDocument,
  options: DecodeOptions & { value?: unknown } = {},
): z.output<S> {
  const at = options.at ?? [];
  const result = schema.safeParse("value" in options ? options.value : doc.value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => toIssue(doc, [...at, ...i.path], i.message, options.hint, i));
  throw issuesError(issues);
}

/** Parse and validate in one step. */
export function parseJson<S extends z.ZodType>(schema: S, text: string, file: string, options?: DecodeOptions) {
  return decodeJson(schema, parseJsonDocument(text, file), options);
}

/** One input error carrying every issue (the first as the headline). */
export function issuesError(issues: readonly Issue[]): SlmError {
  const [head, ...rest] = issues;
  if (head === undefined) return inputError("invalid input");
  const { message, ...where } = head;
  return inputError(rest.length === 0 ? message : `${message} (and ${rest.length} more problem(s) below)`, {
    ...where,
    ...(rest.length === 0 ? {} : { issues: rest }),
  });
}

function toIssue(
  doc: JsonDocument,
  path: readonly PropertyKey[],
  message: string,
  hint: string | undefined,
  raw: z.core.$ZodIssue,
): Issue {
  const line = doc.lineAt(path);
  const value = valueAt(doc.value, path);
  const text = value === undefined ? undefined : JSON.stringify(value);
  const issueHint = (raw as { params?: { hint?: string } }).params?.hint ?? hint;
  return {
    message: value === undefined && raw.code === "invalid_type" ? "a value is required" : message,
    file: doc.file,
    ...(line === undefined ? {} : { line }),
    ...(path.length === 0 ? {} : { field: fieldPath(path) }),
    ...(text === undefined ? {} : { text }),
    ...(issueHint === undefined ? {} : { hint: issueHint }),
  };
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const k of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** Offset → 1-based line, by binary search over the line starts. */
function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

function describe(e: ParseError): string {
  const code = printParseErrorCode(e.error);
  return code.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}
