import { open } from "node:fs/promises";
import { inputError, notFoundError } from "../../errors.js";
import { POWER_FORMATS, type PowerFormat, type PowerSample, type QuarantineEntry } from "../types.js";
import { detectPowerFormat, rankPowerFormats } from "./detect.js";
import { PowerBatch } from "./batch.js";
import { PowerEngine, type EngineOptions, type PowerLogSummary } from "./engine.js";
import { checkEncoding, LineFeeder } from "./lines.js";

export interface ReadPowerOptions extends EngineOptions {
  /** Format id; detected from the first kilobytes when absent. */
  format?: PowerFormat;
  /** Read size (bytes); default 1 MiB. */
  chunkBytes?: number;
}

/** Bytes of a file's start used for format detection. */
export const DETECT_BYTES = 16 * 1024;
const MAX_LINE_BYTES = 64 * 1024 * 1024;
/** Quarantine entries a `PowerLog` keeps in memory when no `onQuarantine` is given. */
export const QUARANTINE_KEPT = 100_000;
/** Default read size: small enough that a chunk's samples die young (cheap GC), large enough for few reads. */
const DEFAULT_CHUNK = 256 * 1024;

/**
 * Sources that hand over samples a chunk at a time, in columns: the energy functions use
 * `columns()` when present, which avoids an object and a promise per sample on
 * multi-million-sample logs.
 */
export interface ColumnarSamples {
  columns(): AsyncIterable<PowerBatch>;
}

export function isColumnar(x: unknown): x is ColumnarSamples {
  return typeof x === "object" && x !== null && typeof (x as ColumnarSamples).columns === "function";
}

function checkFormat(format: string, file: string): PowerFormat {
  if (!(POWER_FORMATS as readonly string[]).includes(format)) {
    throw inputError(`unknown power format "${format}"`, { file, hint: `use one of ${POWER_FORMATS.join(", ")}` });
  }
  return format as PowerFormat;
}

/** Format of a text head, or a fatal error naming the candidates and what to do. */
export function resolvePowerFormat(head: string, file: string, format?: string): PowerFormat {
  if (format !== undefined) return checkFormat(format, file);
  const found = detectPowerFormat(head);
  if (found !== null) return found;
  if (head.trim() === "")
    throw inputError("the power log is empty", { file, hint: "check that the logger ran and wrote to this file" });
  const ranked = rankPowerFormats(head).slice(0, 3);
  const firstLine = head.split(/\r?\n|\r/).find((l) => l.trim() !== "") ?? "";
  throw inputError("cannot tell which power log format this is", {
    file,
    line: 1,
    text: firstLine,
    hint: `closest: ${ranked.map((g) => `${g.format} (${g.score.toFixed(2)}: ${g.reason})`).join("; ")}. Name it with --format (${POWER_FORMATS.join(", ")})`,
  });
}

/** The first `bytes` of a file as text (BOM removed, a cut last line dropped). */
export async function readPowerHead(path: string, bytes = DETECT_BYTES): Promise<string> {
  const fh = await openRead(path);
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    const skip = checkEncoding(buf.subarray(0, bytesRead), path);
    let text = buf.toString("utf8", skip, bytesRead);
    if (bytesRead === bytes) text = text.slice(0, Math.max(0, text.lastIndexOf("\n"), text.lastIndexOf("\r")));
    return text;
  } finally {
    await fh.close();
  }
}

async function openRead(path: string) {
  try {
    return await open(path, "r");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw notFoundError("no such power log", { file: path, hint: "check the path" });
    if (code === "EISDIR")
      throw inputError("this is a folder, not a power log", { file: path, hint: "give the log file inside it" });
    throw e;
  }
}

/**
 * A power log read as a stream: iterate it (`for await (const s of log)`) or take batches; the
 * file is opened read-only and read in chunks, so memory stays constant whatever its size.
 * `summary` and `format` are set once iteration has finished (format as soon as it started).
 * Quarantined readings go to `onQuarantine` when given (every one: write them to a quarantine
 * file there); else the first `QUARANTINE_KEPT` are kept in `quarantined`, so that memory stays
 * bounded on a log full of garbage — `summary.quarantined` always counts them all.
 * Iterating twice reads the file twice.
 */
export class PowerLog implements AsyncIterable<PowerSample>, ColumnarSamples {
  format: PowerFormat | null;
  summary: PowerLogSummary | null = null;
  readonly quarantined: QuarantineEntry[] = [];

  constructor(
    readonly path: string,
    readonly options: ReadPowerOptions = {},
  ) {
    this.format = options.format ?? null;
  }

  /**
   * The samples a chunk at a time, in columns. Reads are double-buffered: the next chunk is
   * being read while this one is parsed and consumed. A batch's storage is reused: it is valid
   * until the next batch is requested (copy it, e.g. `toSamples()`, to keep it).
   */
  async *columns(): AsyncGenerator<PowerBatch> {
    const file = this.path;
    const format = resolvePowerFormat(
      this.options.format === undefined ? await readPowerHead(file) : "",
      file,
      this.options.format,
    );
    this.format = format;
    const onQuarantine =
      this.options.onQuarantine ??
      ((e: QuarantineEntry) => {
        if (this.quarantined.length < QUARANTINE_KEPT) this.quarantined.push(e);
      });
    const engine = new PowerEngine(file, format, { ...this.options, onQuarantine });
    const feeder = new LineFeeder(engine);
    const fh = await openRead(file);
    const size = Math.max(64, this.options.chunkBytes ?? DEFAULT_CHUNK);
    let pending: Promise<{ bytesRead: number }> | null = null;
    try {
      let buf = Buffer.allocUnsafe(size * 2);
      const spare = Buffer.allocUnsafe(size);
      let len = 0; // bytes held at the start of buf (an unfinished line)
      let first = true;
      pending = fh.read(spare, 0, size, null);
      for (;;) {
        const { bytesRead } = await pending;
        if (len + bytesRead > buf.length) {
          if (buf.length >= MAX_LINE_BYTES) {
            throw inputError(`a line longer than ${MAX_LINE_BYTES >> 20} MiB: not a text log`, {
              file,
              line: feeder.line + 1,
              hint: "check the file is the logger's text output",
            });
          }
          const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, len + bytesRead));
          buf.copy(bigger, 0, 0, len);
          buf = bigger;
        }
        spare.copy(buf, len, 0, bytesRead);
        const final = bytesRead === 0;
        if (!final) pending = fh.read(spare, 0, size, null); // reads into spare while we parse buf
        let start = 0;
        if (first) {
          start = checkEncoding(buf.subarray(0, len + bytesRead), file);
          feeder.useLineEnds(buf.subarray(start, len + bytesRead));
          first = false;
        }
        const end = len + bytesRead;
        const rest = feeder.feed(buf, start, end, final);
        const out = engine.take(true);
        if (out.n > 0) yield out;
        if (final) break;
        buf.copy(buf, 0, rest, end);
        len = end - rest;
      }
      this.summary = engine.finish(feeder.line);
      const tail = engine.take();
      if (tail.n > 0) yield tail;
    } finally {
      // A consumer that stops early may leave a read in flight: let it finish, then close.
      await pending?.catch(() => undefined);
      await fh.close();
    }
  }

  /** The samples a chunk at a time, as objects. */
  async *batches(): AsyncGenerator<PowerSample[]> {
    for await (const b of this.columns()) yield b.toSamples();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<PowerSample> {
    for await (const batch of this.batches()) yield* batch;
  }
}

/**
 * Stream the power samples of a log file, format detected unless given. Logs without times get
 * tS = i × intervalMs / 1000 (default 1000 ms). Row-level problems go to `onQuarantine`; fatal
 * ones (empty file, unknown format or unit) throw `SlmError` with file, line, text and a hint.
 */
export function readPowerLog(path: string, options: ReadPowerOptions = {}): PowerLog {
  return new PowerLog(path, options);
}

/** Result of parsing a whole power log held in memory. */
export interface ParsedPowerLog {
  format: PowerFormat;
  samples: PowerSample[];
  quarantined: QuarantineEntry[];
  summary: PowerLogSummary;
}

/** Parse a power log held in memory (tests, small files); same rules as `readPowerLog`. */
export function parsePowerText(
  text: string | Uint8Array,
  options: ReadPowerOptions & { file?: string } = {},
): ParsedPowerLog {
  const file = options.file ?? "<text>";
  const buf =
    typeof text === "string" ? Buffer.from(text, "utf8") : Buffer.from(text.buffer, text.byteOffset, text.byteLength);
  const skip = checkEncoding(buf.subarray(0, DETECT_BYTES), file);
  const format = resolvePowerFormat(
    options.format === undefined ? buf.toString("utf8", skip, Math.min(buf.length, DETECT_BYTES)) : "",
    file,
    options.format,
  );
  const quarantined: QuarantineEntry[] = [];
  const onQuarantine = options.onQuarantine ?? ((e: QuarantineEntry) => void quarantined.push(e));
  const engine = new PowerEngine(file, format, { ...options, onQuarantine });
  const feeder = new LineFeeder(engine);
  feeder.useLineEnds(buf.subarray(skip, Math.min(buf.length, DETECT_BYTES)));
  feeder.feed(buf, skip, buf.length, true);
  const summary = engine.finish(feeder.line);
  return { format, samples: engine.take().toSamples(), quarantined, summary };
}
