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
  return new JsonSplitter(file, sink);
}

/** The state of `createJsonSplitter` between lines. */
class JsonSplitter implements LineParser<JsonChunk> {
  private mode: "unknown" | "ndjson" | "stream" | "array" = "unknown";
  private depth = 0; // nesting depth inside the current record
  private inString = false;
  private escape = false;
  private buf = "";
  private start = 0;
  private arrayClosed = false;

  constructor(
    private readonly file: string,
    private readonly sink: ParseSink,
  ) {}

  push(line: string, lineNo: number): JsonChunk[] {
    if (this.mode === "ndjson") {
      if (line.trim() === "") return [];
      return [{ text: line, line: lineNo, lineEnd: lineNo }];
    }
    if (this.mode === "unknown") {
      const t = line.trim();
      if (t === "") return [];
      if (t.startsWith("{")) {
        try {
          JSON.parse(t);
          this.mode = "ndjson";
          return [{ text: line, line: lineNo, lineEnd: lineNo }];
        } catch {
          // Not a one-line value: a pretty-printed object (or a truncated first line).
        }
      }
    }
    return this.pushStructured(line, lineNo);
  }

  end(): JsonChunk[] {
    if (this.buf.trim() !== "") {
      this.sink.quarantine({
        file: this.file,
        line: this.start,
        text: clip(this.buf.trim()),
        reason: "unterminated JSON value at end of file (truncated file?)",
      });
      this.buf = "";
    } else if (this.mode === "array" && !this.arrayClosed) {
      this.sink.warn({
        file: this.file,
        line: null,
        message: "the JSON array is not closed with ']' (truncated file?); the complete records were read",
      });
    }
    return [];
  }

  /** Depth at which records start and end. */
  private get topDepth(): number {
    return this.mode === "array" ? 1 : 0;
  }

  private pushStructured(line: string, lineNo: number): JsonChunk[] {
    const out: JsonChunk[] = [];
    let garbage = "";
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (this.depth - this.topDepth > 0 || this.inString) {
        const done = this.inRecord(c, lineNo);
        if (done) out.push(done);
      } else if (!this.between(c, lineNo)) {
        garbage += line.slice(i);
        break;
      }
    }
    if (this.buf !== "" && (this.depth - this.topDepth > 0 || this.inString)) this.buf += "\n";
    if (garbage.trim() !== "") {
      const text = clip(garbage.trim());
      this.sink.quarantine({ file: this.file, line: lineNo, text, reason: "text outside any JSON value" });
    }
    return out;
  }

  /** One character inside a record; the record when it closes it. */
  private inRecord(c: string, lineNo: number): JsonChunk | null {
    this.buf += c;
    if (this.inString) {
      if (this.escape) this.escape = false;
      else if (c === "\\") this.escape = true;
      else if (c === '"') this.inString = false;
      return null;
    }
    if (c === '"') this.inString = true;
    else if (c === "{" || c === "[") this.depth++;
    else if (c === "}" || c === "]") {
      this.depth--;
      if (this.depth === this.topDepth) {
        const chunk = { text: this.buf, line: this.start, lineEnd: lineNo };
        this.buf = "";
        return chunk;
      }
    }
    return null;
  }

  /** One character between records; false when it cannot be there (the rest of the line is garbage). */
  private between(c: string, lineNo: number): boolean {
    if (c === " " || c === "\t" || c === ",") return true;
    if (this.mode === "unknown") {
      // The first significant character decides the shape.
      if (c === "[") {
        this.mode = "array";
        this.depth = 1;
        return true;
      }
      this.mode = "stream";
    }
    if (this.mode === "array" && c === "]" && this.depth === 1) {
      this.depth = 0;
      this.arrayClosed = true;
      return true;
    }
    if ((c === "{" || c === "[" || c === '"') && !this.arrayClosed) {
      // A bare string record is unexpected; JSON.parse will reject it as a record later.
      this.buf = c;
      this.start = lineNo;
      if (c === '"') this.inString = true;
      this.depth++;
      return true;
    }
    return false;
  }
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
