import { clip, type LineParser, type ParseSink } from "./sink.js";

/** One JSON value cut out of a file, with the lines it spans. */
export interface JsonChunk {
  text: string;
  line: number;
  lineEnd: number;
}

/**
 * Cut a JSON file into its records while streaming it line by line, so that every record keeps
 * its line numbers and a bad record can be quarantined alone. Three shapes are accepted:
 * one object, an array of objects (each element is a record) and a stream of objects
 * (NDJSON, or pretty-printed objects one after another). When the first value of a stream
 * fits on its line the file is read as NDJSON: one record per line, so a truncated line
 * cannot swallow the next one. The splitter only finds value boundaries; `JSON.parse` of each
 * chunk does the validation.
 */
export function createJsonSplitter(file: string, sink: ParseSink): LineParser<JsonChunk> {
  type Mode = "unknown" | "ndjson" | "stream" | "array";
  let mode: Mode = "unknown";
  let depth = 0; // nesting depth inside the current record
  let inString = false;
  let escape = false;
  let buf = "";
  let start = 0;
  let arrayClosed = false;

  const pushStructured = (line: string, lineNo: number): JsonChunk[] => {
    const out: JsonChunk[] = [];
    let garbage = "";
    const topDepth = mode === "array" ? 1 : 0; // depth at which records start and end
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      const recordDepth = depth - topDepth; // > 0 while inside a record
      if (recordDepth > 0 || inString) {
        buf += c;
        if (inString) {
          if (escape) escape = false;
          else if (c === "\\") escape = true;
          else if (c === '"') inString = false;
          continue;
        }
        if (c === '"') inString = true;
        else if (c === "{" || c === "[") depth++;
        else if (c === "}" || c === "]") {
          depth--;
          if (depth === topDepth) {
            out.push({ text: buf, line: start, lineEnd: lineNo });
            buf = "";
          }
        }
        continue;
      }
      // Between records.
      if (c === " " || c === "\t" || c === ",") continue;
      if (mode === "unknown") {
        // The first significant character decides the shape.
        if (c === "[") {
          mode = "array";
          depth = 1;
          continue;
        }
        mode = "stream";
      }
      if (mode === "array" && c === "]" && depth === 1) {
        depth = 0;
        arrayClosed = true;
        continue;
      }
      if ((c === "{" || c === "[") && !arrayClosed) {
        buf = c;
        start = lineNo;
        depth++;
        continue;
      }
      if (c === '"' && !arrayClosed) {
        // A bare string record (unexpected; JSON.parse will reject it as a record later).
        buf = c;
        start = lineNo;
        inString = true;
        depth++;
        continue;
      }
      garbage += line.slice(i);
      break;
    }
    if (buf !== "" && (depth - topDepth > 0 || inString)) buf += "\n";
    if (garbage.trim() !== "") {
      sink.quarantine({ file, line: lineNo, text: clip(garbage.trim()), reason: "text outside any JSON value" });
    }
    return out;
  };

  return {
    push(line, lineNo) {
      if (mode === "ndjson") {
        if (line.trim() === "") return [];
        return [{ text: line, line: lineNo, lineEnd: lineNo }];
      }
      if (mode === "unknown") {
        const t = line.trim();
        if (t === "") return [];
        if (t.startsWith("{")) {
          try {
            JSON.parse(t);
            mode = "ndjson";
            return [{ text: line, line: lineNo, lineEnd: lineNo }];
          } catch {
            // Not a one-line value: a pretty-printed object (or a truncated first line).
          }
        }
      }
      return pushStructured(line, lineNo);
    },
    end() {
      if (buf.trim() !== "") {
        sink.quarantine({
          file,
          line: start,
          text: clip(buf.trim()),
          reason: "unterminated JSON value at end of file (truncated file?)",
        });
        buf = "";
      } else if (mode === "array" && !arrayClosed) {
        sink.warn({
          file,
          line: null,
          message: "the JSON array is not closed with ']' (truncated file?); the complete records were read",
        });
      }
      return [];
    },
  };
}

/** Parse a chunk as a JSON object, or quarantine it with the parser's reason and return null. */
export function parseJsonObject(chunk: JsonChunk, file: string, sink: ParseSink): Record<string, unknown> | null {
  let value: unknown;
  try {
    value = JSON.parse(chunk.text);
  } catch (e) {
    sink.quarantine({
      file,
      line: chunk.line,
      text: clip(chunk.text.trim()),
      reason: `not valid JSON: ${(e as Error).message}`,
    });
    return null;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    sink.quarantine({ file, line: chunk.line, text: clip(chunk.text.trim()), reason: "expected a JSON object" });
    return null;
  }
  return value as Record<string, unknown>;
}
