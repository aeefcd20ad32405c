import { inputError } from "../../errors.js";
import { POWER_FORMATS, type PowerFormat, type PowerSample, type QuarantineEntry } from "../types.js";
import { detectPowerFormat, rankPowerFormats } from "./detect.js";
import type { PowerBatch } from "./batch.js";
import { PowerEngine, type EngineOptions, type PowerLogSummary } from "./engine.js";
import { checkEncoding, LineFeeder } from "./lines.js";
import { findVcgencmdNotRegistered, noPmicAdcError } from "./vcgencmd.js";

/**
 * Power logs held in memory, and what the streaming file reader (io/power/read.ts) shares with
 * them: options, format resolution, the columnar-source contract. No disk access here.
 */

export interface ReadPowerOptions extends EngineOptions {
  /** Format id; detected from the first kilobytes when absent. */
  format?: PowerFormat;
  /** Read size (bytes); default 256 KiB. */
  chunkBytes?: number;
  /** Hash the file's bytes as they stream past (file reader only): `sha256` is set after a full pass. */
  hash?: boolean;
}

/** Bytes of a file's start used for format detection. */
export const DETECT_BYTES = 16 * 1024;
/** Quarantine entries a `PowerLog` keeps in memory when no `onQuarantine` is given. */
export const QUARANTINE_KEPT = 100_000;

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

/** The format the options name: `format`, else usb-csv when they name a headerless CSV's `columns`. */
export function givenPowerFormat(options: ReadPowerOptions): PowerFormat | undefined {
  return options.format ?? (options.columns !== undefined ? "usb-csv" : undefined);
}

/** Format of a text head, or a fatal error naming the candidates and what to do. */
export function resolvePowerFormat(head: string, file: string, format?: string): PowerFormat {
  if (format !== undefined) return checkFormat(format, file);
  const found = detectPowerFormat(head);
  if (found !== null) return found;
  if (head.trim() === "")
    throw inputError("the power log is empty", { file, hint: "check that the logger ran and wrote to this file" });
  const vcgencmd = findVcgencmdNotRegistered(head);
  if (vcgencmd !== null) throw noPmicAdcError(file, vcgencmd);
  const ranked = rankPowerFormats(head).slice(0, 3);
  const lines = head.split(/\r?\n|\r/);
  const firstIdx = Math.max(
    0,
    lines.findIndex((l) => l.trim() !== ""),
  );
  const closest = ranked.map((g) => `${g.format} (${g.score.toFixed(2)}: ${g.reason})`).join("; ");
  throw inputError("cannot tell which power log format this is", {
    file,
    line: firstIdx + 1,
    text: lines[firstIdx] ?? "",
    field: "format",
    hint: `closest: ${closest}. Name the format (${POWER_FORMATS.join(", ")})`,
  });
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
  const given = givenPowerFormat(options);
  const format = resolvePowerFormat(
    given === undefined ? buf.toString("utf8", skip, Math.min(buf.length, DETECT_BYTES)) : "",
    file,
    given,
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
