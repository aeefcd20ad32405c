import { inputError } from "../errors.js";

/**
 * A JSON document parsed with the line of every value kept, so that a schema error can name the
 * file, the line and the field (as a path like `devices[1].powerModes[0].memoryBandwidthGBps`).
 * Strict JSON (RFC 8259): no comments, no trailing commas.
 */
export interface JsonDocument {
  file: string;
  value: unknown;
  /** Line (1-based) where the value at `path` starts; for a missing key, its parent's line. */
  lineOf(path: string): number | undefined;
}

export function parseJsonWithLines(text: string, file: string): JsonDocument {
  const lines = new Map<string, number>();
  let i = 0;
  let line = 1;

  const fail = (message: string): never => {
    const snippet = text.slice(i, i + 40).split("\n")[0] ?? "";
    throw inputError(`invalid JSON: ${message}`, {
      file,
      line,
      text: snippet,
      hint: "fix the JSON syntax (strict JSON: double-quoted keys, no comments, no trailing commas)",
    });
  };
  const ws = (): void => {
    while (i < text.length) {
      const c = text[i];
      if (c === "\n") line++;
      else if (c !== " " && c !== "\t" && c !== "\r") break;
      i++;
    }
  };
  const str = (): string => {
    const start = i;
    i++; // opening quote
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") i++;
      else if (text[i] === "\n") fail("unterminated string");
      i++;
    }
    if (i >= text.length) fail("unterminated string");
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return fail("bad string escape");
    }
  };
  const value = (path: string): unknown => {
    ws();
    lines.set(path, line);
    const c = text[i];
    if (c === "{") {
      i++;
      const out: Record<string, unknown> = {};
      ws();
      if (text[i] === "}") {
        i++;
        return out;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail("expected a double-quoted key");
        const key = str();
        ws();
        if (text[i] !== ":") fail('expected ":" after a key');
        i++;
        if (Object.prototype.hasOwnProperty.call(out, key)) fail(`duplicate key "${key}"`);
        out[key] = value(path === "" ? key : `${path}.${key}`);
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return out;
        }
        fail('expected "," or "}"');
      }
    }
    if (c === "[") {
      i++;
      const out: unknown[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return out;
      }
      for (;;) {
        out.push(value(`${path}[${out.length}]`));
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return out;
        }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') return str();
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
    if (!m) return fail("unexpected character");
    i += m[0].length;
    return JSON.parse(m[0]) as unknown;
  };

  const root = value("");
  ws();
  if (i < text.length) fail("unexpected text after the JSON value");

  return {
    file,
    value: root,
    lineOf(path: string): number | undefined {
      let p = path;
      for (;;) {
        const l = lines.get(p);
        if (l !== undefined) return l;
        if (p === "") return undefined;
        const cut = Math.max(p.lastIndexOf("."), p.lastIndexOf("["));
        p = cut <= 0 ? "" : p.slice(0, cut);
      }
    },
  };
}
