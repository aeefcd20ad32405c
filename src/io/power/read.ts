import { createHash, type Hash } from "node:crypto";
import { open, type FileHandle } from "node:fs/promises";
import { inputError, notFoundError } from "../../errors.js";
import type { PowerBatch } from "../../ingest/power/batch.js";
import { PowerEngine, type PowerLogSummary } from "../../ingest/power/engine.js";
import { checkEncoding, LineFeeder } from "../../ingest/power/lines.js";
import {
  DETECT_BYTES,
  givenPowerFormat,
  QUARANTINE_KEPT,
  resolvePowerFormat,
  type ColumnarSamples,
  type ReadPowerOptions,
} from "../../ingest/power/read.js";
import type { PowerFormat, PowerSample, QuarantineEntry } from "../../ingest/types.js";

const MAX_LINE_BYTES = 64 * 1024 * 1024;
/** Default read size: small enough that a chunk's samples die young (cheap GC), large enough for few reads. */
const DEFAULT_CHUNK = 256 * 1024;

/** The first `bytes` of a file as text (BOM removed, a cut last line dropped). */
export async function readPowerHead(path: string, bytes = DETECT_BYTES): Promise<string> {
  const fh = await openRead(path);
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    const skip = checkEncoding(buf.subarray(0, bytesRead), path);
    let text = buf.toString("utf8", skip, bytesRead);
    // A cut last line is dropped; a first line longer than the head is kept cut (detection then
    // names it), not dropped (which made the file look empty).
    const cut = Math.max(text.lastIndexOf("\n"), text.lastIndexOf("\r"));
    if (bytesRead === bytes && cut > 0) text = text.slice(0, cut);
    return text;
  } finally {
    await fh.close();
  }
}

async function openRead(path: string): Promise<FileHandle> {
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
 * Chunks of a file, double-buffered (the next chunk is read while this one is used), each
 * appended to the unfinished line kept from the one before; every byte also goes into `hash` when given.
 */
class ChunkReader {
  buf: Buffer;
  private readonly spare: Buffer;
  private pending: Promise<{ bytesRead: number }> | null = null;

  constructor(
    private readonly fh: FileHandle,
    private readonly size: number,
    private readonly hash: Hash | null,
  ) {
    this.buf = Buffer.allocUnsafe(size * 2);
    this.spare = Buffer.allocUnsafe(size);
    this.pending = fh.read(this.spare, 0, size, null);
  }

  /** Wait for the next chunk and put it after `len` kept bytes; returns its size (0 at the end). */
  async next(len: number, file: string, lineNo: number): Promise<number> {
    const { bytesRead } = await this.pending!;
    this.hash?.update(this.spare.subarray(0, bytesRead));
    if (len + bytesRead > this.buf.length) {
      if (this.buf.length >= MAX_LINE_BYTES) {
        throw inputError(`a line longer than ${MAX_LINE_BYTES >> 20} MiB: not a text log`, {
          file,
          line: lineNo,
          hint: "check the file is the logger's text output",
        });
      }
      const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, len + bytesRead));
      this.buf.copy(bigger, 0, 0, len);
      this.buf = bigger;
    }
    this.spare.copy(this.buf, len, 0, bytesRead);
    this.pending = bytesRead === 0 ? null : this.fh.read(this.spare, 0, this.size, null);
    return bytesRead;
  }

  /** A consumer that stops early may leave a read in flight: let it finish. */
  async settle(): Promise<void> {
    await this.pending?.catch(() => undefined);
  }
}

/**
 * A power log read as a stream: iterate it (`for await (const s of log)`) or take batches; the
 * file is opened read-only and read in chunks, so memory stays constant whatever its size.
 * `summary`, `format` and, with `hash`, `sha256` (of the file's bytes, hashed as they stream past)
 * are set once iteration has finished (format as soon as it started).
 * Quarantined readings go to `onQuarantine` when given (every one: write them to a quarantine
 * file there); else the first `QUARANTINE_KEPT` are kept in `quarantined`, so that memory stays
 * bounded on a log full of garbage — `summary.quarantined` always counts them all.
 * Iterating twice reads the file twice.
 */
export class PowerLog implements AsyncIterable<PowerSample>, ColumnarSamples {
  format: PowerFormat | null;
  summary: PowerLogSummary | null = null;
  sha256: string | null = null;
  readonly quarantined: QuarantineEntry[] = [];

  constructor(
    readonly path: string,
    readonly options: ReadPowerOptions = {},
  ) {
    this.format = givenPowerFormat(options) ?? null;
  }

  private async engine(): Promise<PowerEngine> {
    const file = this.path;
    const given = givenPowerFormat(this.options);
    const head = given === undefined ? await readPowerHead(file) : "";
    const format = resolvePowerFormat(head, file, given);
    this.format = format;
    const onQuarantine =
      this.options.onQuarantine ??
      ((e: QuarantineEntry) => {
        if (this.quarantined.length < QUARANTINE_KEPT) this.quarantined.push(e);
      });
    return new PowerEngine(file, format, { ...this.options, onQuarantine });
  }

  /**
   * The samples a chunk at a time, in columns. A batch's storage is reused: it is valid until
   * the next batch is requested (copy it, e.g. `toSamples()`, to keep it).
   */
  async *columns(): AsyncGenerator<PowerBatch> {
    const file = this.path;
    const engine = await this.engine();
    const feeder = new LineFeeder(engine);
    const fh = await openRead(file);
    const hash = this.options.hash ? createHash("sha256") : null;
    const chunks = new ChunkReader(fh, Math.max(64, this.options.chunkBytes ?? DEFAULT_CHUNK), hash);
    try {
      let len = 0; // bytes held at the start of the buffer (an unfinished line)
      let first = true;
      for (;;) {
        const bytesRead = await chunks.next(len, file, feeder.line + 1);
        const buf = chunks.buf;
        const final = bytesRead === 0;
        const end = len + bytesRead;
        let start = 0;
        if (first) {
          start = checkEncoding(buf.subarray(0, end), file);
          feeder.useLineEnds(buf.subarray(start, end));
          first = false;
        }
        const rest = feeder.feed(buf, start, end, final);
        const out = engine.take(true);
        if (out.n > 0) yield out;
        if (final) break;
        buf.copy(buf, 0, rest, end);
        len = end - rest;
      }
      this.summary = engine.finish(feeder.line);
      this.sha256 = hash?.digest("hex") ?? null;
      const tail = engine.take();
      if (tail.n > 0) yield tail;
    } finally {
      await chunks.settle();
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
