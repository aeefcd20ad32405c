import { clip, type LineParser, type ParseSink } from "./sink.js";

/** One JSON value cut out of a file, with the lines it spans. */
export interface JsonChunk {
  text: string;
  line: number;
  lineEnd: number;
  /** The parsed value, when the splitter already parsed it (NDJSON lines). */
  value?: unknown;
}

/** A run of lines that holds no complete record (a record cut short, or wrapped onto more lines). */
interface BrokenSpan {
  start: number;
  end: number;
  /** The span's first characters (it is quarantined clipped anyway). */
  text: string;
  /** What `JSON.parse` said of its first line, or null when that line starts no record. */
  error: string | null;
  /** All its lines, joined by line ends (null once over `SPAN_FULL_KEPT`). */
  full: string | null;
}

const SPAN_TEXT_KEPT = 1000;
const SPAN_FULL_KEPT = 1 << 20;

/**
 * Cut a JSON file into its records while streaming it line by line, so that every record keeps
 * its line numbers and a bad record can be quarantined alone. Three shapes are accepted:
 * one object, an array of objects (each element is a record) and a stream of objects
 * (NDJSON, or pretty-printed objects one after another). When the first value of a stream
 * fits on its line the file is read as NDJSON: one record per line, so a truncated line
 * cannot swallow the next one. The splitter only finds value boundaries; `JSON.parse` of each
 * chunk does the validation.
 *
 * Broken records are quarantined alone, with their line range, and reading resynchronises at the
 * next line that starts a JSON object (`{` in column 1): in NDJSON, a record cut short, or
 * wrapped onto more lines inside a string, is one quarantined span up to the next line starting
 * with `{` (wrapped between tokens, it is still JSON and is read); in a stream of objects, an
 * unterminated record ends where such a line begins, so it cannot swallow the records after it.
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
  private broken: BrokenSpan | null = null;
  private lastLine = 0;

  constructor(
    private readonly file: string,
    private readonly sink: ParseSink,
  ) {}

  push(line: string, lineNo: number): JsonChunk[] {
    this.lastLine = lineNo;
    if (this.mode === "ndjson") return this.pushNdjson(line, lineNo);
    if (this.mode === "unknown") {
      const t = line.trim();
      if (t === "") return [];
      if (t.startsWith("{")) {
        try {
          const value = JSON.parse(t) as unknown;
          this.mode = "ndjson";
          return [{ text: line, line: lineNo, lineEnd: lineNo, value }];
        } catch {
          // Not a one-line value: a pretty-printed object (or a truncated first line).
        }
      }
    }
    return this.pushStructured(line, lineNo);
  }

  /** NDJSON: one record per line; a line that is none starts or extends a broken span. */
  private pushNdjson(line: string, lineNo: number): JsonChunk[] {
    const t = line.trim();
    if (t === "") return [];
    if (t.startsWith("{")) {
      const out = this.flushBroken();
      try {
        out.push({ text: line, line: lineNo, lineEnd: lineNo, value: JSON.parse(t) as unknown });
      } catch (e) {
        this.broken = { start: lineNo, end: lineNo, text: t, error: (e as Error).message, full: t };
      }
      return out;
    }
    const b = this.broken;
    if (b === null) this.broken = { start: lineNo, end: lineNo, text: t, error: null, full: null };
    else {
      b.end = lineNo;
      if (b.text.length < SPAN_TEXT_KEPT) b.text = `${b.text}\n${t}`.slice(0, SPAN_TEXT_KEPT);
      b.full = b.full !== null && b.full.length + line.length < SPAN_FULL_KEPT ? `${b.full}\n${line}` : null;
    }
    return [];
  }

  /**
   * End the broken span of NDJSON lines, if any: a record wrapped onto several lines between its
   * tokens is still valid JSON and is returned as one chunk; anything else is quarantined.
   */
  private flushBroken(): JsonChunk[] {
    const b = this.broken;
    if (b === null) return [];
    this.broken = null;
    if (b.full !== null && b.end > b.start) {
      try {
        return [{ text: b.full, line: b.start, lineEnd: b.end, value: JSON.parse(b.full) as unknown }];
      } catch {
        // broken indeed: quarantined below
      }
    }
    const reason =
      b.start === b.end
        ? b.error === null
          ? "text outside any JSON value"
          : `not valid JSON: ${b.error}`
        : `a JSON record broken over lines ${b.start}–${b.end} (wrapped or cut short)` +
          (b.error === null ? ": the lines start no record" : `: not valid JSON: ${b.error}`);
    this.sink.quarantine({
      file: this.file,
      line: b.start,
      ...(b.end !== b.start ? { lineEnd: b.end } : {}),
      text: clip(b.text),
      reason,
    });
    return [];
  }

  /** Quarantine the unfinished record of a stream, which ends at `lineEnd`. */
  private dropUnfinished(lineEnd: number, reason: string): void {
    this.sink.quarantine({
      file: this.file,
      line: this.start,
      ...(lineEnd !== this.start ? { lineEnd } : {}),
      text: clip(this.buf.trim()),
      reason,
    });
    this.buf = "";
    this.depth = this.topDepth;
    this.inString = false;
    this.escape = false;
  }

  /**
   * In a stream, a line starting with `{` (in column 1) while a record is unfinished: the record
   * is broken (pretty-printers indent nested objects, so such a line starts a record).
   */
  private startsNewRecord(line: string): boolean {
    return this.mode === "stream" && line.startsWith("{") && (this.depth - this.topDepth > 0 || this.inString);
  }

  end(): JsonChunk[] {
    const out = this.flushBroken();
    if (this.buf.trim() !== "") {
      this.dropUnfinished(this.lastLine, "unterminated JSON value at end of file (truncated file?)");
    } else if (this.mode === "array" && !this.arrayClosed) {
      this.sink.warn({
        file: this.file,
        line: null,
        message: "the JSON array is not closed with ']' (truncated file?); the complete records were read",
      });
    }
    return out;
  }

  /** Depth at which records start and end. */
  private get topDepth(): number {
    return this.mode === "array" ? 1 : 0;
  }

  private pushStructured(line: string, lineNo: number): JsonChunk[] {
    const out: JsonChunk[] = [];
    if (this.startsNewRecord(line)) {
      this.dropUnfinished(
        lineNo - 1,
        `unterminated JSON value (a record cut short?): line ${lineNo} starts the next one`,
      );
    }
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
  const where = { file, line: chunk.line, ...(chunk.lineEnd !== chunk.line ? { lineEnd: chunk.lineEnd } : {}) };
  let value: unknown = chunk.value;
  if (!("value" in chunk)) {
    try {
      value = JSON.parse(chunk.text);
    } catch (e) {
      sink.quarantine({ ...where, text: clip(chunk.text.trim()), reason: `not valid JSON: ${(e as Error).message}` });
      return null;
    }
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    sink.quarantine({ ...where, text: clip(chunk.text.trim()), reason: "expected a JSON object" });
    return null;
  }
  return value as Record<string, unknown>;
}
