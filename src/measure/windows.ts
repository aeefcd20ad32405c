/**
 * Per-inference windows from what a wrapped command prints: llama.cpp timing blocks (llama-cli,
 * llama-server, `llama_print_timings:` of older builds) and `ollama run --verbose` figures. Each
 * output line is stamped with the wall-clock time it arrived; a block becomes one window that
 * ends when its last line arrived and starts its prefill + decode durations earlier, so ingest
 * splits it into a prefill and a decode phase (`phaseSplitS`). The formats are read by ingest's
 * own parsers (`ingest/inference/`), one per format; nothing here touches files.
 */
import type { CollectorRecordV1, InferenceRecord, ParseWarning, QuarantineEntry } from "../ingest/types.js";
import { createLlamaCppParser } from "../ingest/inference/llama-cpp.js";
import { createOllamaVerboseParser } from "../ingest/inference/ollama.js";
import type { LineParser, ParseSink } from "../ingest/inference/sink.js";
import { msToS } from "../metrics/units.js";

export type OutputStream = "stdout" | "stderr";

/** The text formats a command's output is read in, each with the id its windows carry. */
const FORMATS = [
  { id: "llama.cpp", create: createLlamaCppParser },
  { id: "ollama-verbose", create: createOllamaVerboseParser },
] as const;

export type TextWindowFormat = (typeof FORMATS)[number]["id"];

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
const round3 = (x: number): number => Math.round(x * 1e3) / 1e3;

/**
 * One parsed inference as a window ending at `endS` (when its block was printed), placed
 * backwards by its prefill and decode durations; null when it has neither (nothing to place).
 */
export function inferenceWindow(
  rec: InferenceRecord,
  endS: number,
  index: number,
  itemId: string,
): CollectorRecordV1 | null {
  const prefillMs = rec.promptMs ?? 0;
  const decodeMs = rec.genMs ?? 0;
  if (prefillMs + decodeMs <= 0) return null;
  return {
    schema: "slm-energy/inference@1",
    index,
    item_id: itemId,
    start_s: round6(endS - msToS(prefillMs + decodeMs)),
    end_s: round6(endS),
    prompt_tokens: rec.promptTokens ?? 0,
    gen_tokens: rec.genTokens ?? 0,
    prefill_ms: round3(prefillMs),
    decode_ms: round3(decodeMs),
    correct: null,
  };
}

/** What the parsers set aside while reading the output (the raw lines stay in command.log). */
export interface WindowNote {
  stream: OutputStream;
  line: number;
  kind: "quarantined" | "warning";
  message: string;
}

interface StreamState {
  lines: number;
  /** Arrival time of each line, by its 1-based number in this stream. */
  arrivedS: number[];
  parsers: { format: TextWindowFormat; parser: LineParser<InferenceRecord> }[];
}

export interface TextWindows {
  /** Feed one complete line of a stream that arrived at `arrivedS`; returns the windows it completed. */
  push(stream: OutputStream, line: string, arrivedS: number): CollectorRecordV1[];
  /** The command ended: the windows of blocks still open (a block without its `total` line). */
  end(): CollectorRecordV1[];
  /** The formats that gave windows, in the order they first did. */
  readonly formats: TextWindowFormat[];
  readonly notes: WindowNote[];
}

/** Keep at most this many notes (a command printing garbage for hours must not bloat run.json). */
const MAX_NOTES = 100;

/**
 * A reader of a command's stdout and stderr (llama-cli prints its timings on stderr, its text on
 * stdout) in every text format; windows are numbered from `firstIndex` in the order they complete.
 */
export function createTextWindows(firstIndex = 0): TextWindows {
  const notes: WindowNote[] = [];
  const formats: TextWindowFormat[] = [];
  let next = firstIndex;
  const counts = new Map<TextWindowFormat, number>();
  const streams = new Map<OutputStream, StreamState>();
  const note = (stream: OutputStream, line: number, kind: WindowNote["kind"], message: string): void => {
    if (notes.length < MAX_NOTES) notes.push({ stream, line, kind, message });
  };
  const state = (stream: OutputStream): StreamState => {
    let s = streams.get(stream);
    if (!s) {
      const sink: ParseSink = {
        quarantine: (q: QuarantineEntry) => note(stream, q.line, "quarantined", `${q.reason}: ${q.text}`),
        warn: (w: ParseWarning) => note(stream, w.line ?? 0, "warning", w.message),
      };
      s = {
        lines: 0,
        arrivedS: [],
        parsers: FORMATS.map((f) => ({ format: f.id, parser: f.create(`command ${stream}`, sink) })),
      };
      streams.set(stream, s);
    }
    return s;
  };
  const windows = (s: StreamState, format: TextWindowFormat, recs: InferenceRecord[]): CollectorRecordV1[] =>
    recs.flatMap((rec) => {
      const endS = s.arrivedS[rec.lineEnd ?? rec.line] ?? s.arrivedS[s.lines];
      const n = (counts.get(format) ?? 0) + 1;
      const w = endS === undefined ? null : inferenceWindow(rec, endS, next, `${format}#${n}`);
      if (w === null) return [];
      counts.set(format, n);
      if (!formats.includes(format)) formats.push(format);
      next++;
      return [w];
    });
  return {
    push(stream, line, arrivedS) {
      const s = state(stream);
      s.lines++;
      s.arrivedS[s.lines] = arrivedS;
      return s.parsers.flatMap((p) => windows(s, p.format, p.parser.push(line, s.lines)));
    },
    end() {
      return [...streams.values()].flatMap((s) => s.parsers.flatMap((p) => windows(s, p.format, p.parser.end())));
    },
    formats,
    notes,
  };
}

/**
 * The windows as ingest needs them: by start time, numbered in that order. Windows complete in
 * the order their blocks were printed; two requests a server ran at once can end in the other
 * order than they started.
 */
export function windowsInStartOrder(records: readonly CollectorRecordV1[]): CollectorRecordV1[] {
  return [...records].sort((a, b) => a.start_s - b.start_s || a.index - b.index).map((r, i) => ({ ...r, index: i }));
}

/** Whether the windows, as completed, are already in start order (nothing to rewrite). */
export const inStartOrder = (records: readonly CollectorRecordV1[]): boolean =>
  records.every((r, i) => i === 0 || r.start_s >= records[i - 1]!.start_s);
