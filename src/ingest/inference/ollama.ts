import type { InferenceRecord } from "../types.js";
import { createJsonSplitter, parseJsonObject } from "./json-values.js";
import { createRepeatCheck } from "./duplicates.js";
import { clip, type LineParser, type ParseSink } from "./sink.js";
import { goDurationMs, isoToEpochS } from "./units.js";

/**
 * Ollama: API responses (`/api/generate`, `/api/chat`) as JSON — one object, an array, or the
 * NDJSON stream of a streaming request, where only the final `done: true` chunk carries the
 * figures — and the text `ollama run --verbose` prints after each answer.
 *
 * Durations in the API are nanoseconds. `created_at` of the final chunk is when the answer was
 * complete, so it is taken as the end of the inference and `total_duration` placed before it.
 */

/**
 * Prompt rates above this (tokens/s) are far above what edge devices (or desktop GPUs with
 * small models) reach. Some Ollama versions timed only the last prompt batch, which yields such
 * rates; records above it get a warning. Overridable per read.
 */
export const DEFAULT_MAX_PROMPT_TOKENS_PER_S = 10_000;

export interface OllamaOptions {
  maxPromptTokensPerS?: number;
}

function warnImplausiblePrompt(rec: InferenceRecord, file: string, sink: ParseSink, limit: number): void {
  if (rec.promptTokens === null || rec.promptMs === null || rec.promptMs <= 0) return;
  const rate = rec.promptTokens / (rec.promptMs / 1000);
  if (rate > limit) {
    sink.warn({
      file,
      line: rec.line,
      message:
        `prompt eval rate ${rate.toFixed(0)} tokens/s is far above a plausible ${limit} tokens/s: some Ollama ` +
        "versions time only the last prompt batch; treat this prompt time as unreliable",
    });
  }
}

const NS_FIELDS = ["total_duration", "load_duration", "prompt_eval_duration", "eval_duration"] as const;
const COUNT_FIELDS = ["prompt_eval_count", "eval_count"] as const;

/**
 * Generated tokens per second above this are no measurement: decode makes one token per pass
 * over the weights, a million passes a second is beyond any machine this tool reads logs of.
 */
const MAX_GEN_TOKENS_PER_S = 1e6;

/** The generation rate when `evalNs` for `tokens` is too fast to be nanoseconds (seconds or ms given), else null. */
function secondsNotNs(evalNs: number | null | undefined, tokens: number | null | undefined): number | null {
  if (evalNs == null || tokens == null || evalNs <= 0 || tokens <= 0) return null;
  const rate = tokens / (evalNs / 1e9);
  return rate > MAX_GEN_TOKENS_PER_S ? rate : null;
}

/** The record of one final (`done: true`) Ollama response, or null (quarantined or skipped). */
export function ollamaRecord(
  obj: Record<string, unknown>,
  where: { file: string; line: number; lineEnd: number; text: string },
  sink: ParseSink,
  options: OllamaOptions = {},
): InferenceRecord | null {
  const { file, line, lineEnd, text } = where;
  const reject = (reason: string): null => {
    sink.quarantine({ file, line, text: clip(text.trim()), reason });
    return null;
  };
  if (obj.error !== undefined)
    return reject(
      `Ollama returned an error: ${clip(typeof obj.error === "string" ? obj.error : JSON.stringify(obj.error), 120)}`,
    );
  if (obj.done === false) return null; // a streamed partial answer: carries text, no figures
  if (obj.done !== true) return reject('expected an Ollama response with "done": true or false');
  const ns: Partial<Record<(typeof NS_FIELDS)[number], number | null>> = {};
  for (const k of NS_FIELDS) {
    const v = obj[k];
    if (v === undefined || v === null) ns[k] = null;
    else if (typeof v !== "number" || !Number.isFinite(v) || v < 0)
      return reject(`field "${k}": expected nanoseconds (a number ≥ 0), found ${JSON.stringify(v)}`);
    else ns[k] = v;
  }
  const counts: Partial<Record<(typeof COUNT_FIELDS)[number], number | null>> = {};
  for (const k of COUNT_FIELDS) {
    const v = obj[k];
    if (v === undefined || v === null) counts[k] = null;
    else if (typeof v !== "number" || !Number.isInteger(v) || v < 0)
      return reject(`field "${k}": expected a token count, found ${JSON.stringify(v)}`);
    else counts[k] = v;
  }
  const genRate = secondsNotNs(ns.eval_duration, counts.eval_count);
  if (genRate !== null) {
    return reject(
      `field "eval_duration": ${ns.eval_duration} ns for ${counts.eval_count} generated tokens is ` +
        `${genRate.toPrecision(3)} tokens/s, beyond any machine: the durations look like seconds or ms, ` +
        "not the nanoseconds Ollama's API prints",
    );
  }
  if (ns.total_duration == null && ns.eval_duration == null && ns.prompt_eval_duration == null) {
    return reject(
      `a done response without durations${obj.done_reason ? ` (done_reason ${JSON.stringify(obj.done_reason)})` : ""}` +
        ": not an inference",
    );
  }
  const ms = (x: number | null | undefined): number | null => (x == null ? null : x / 1e6);
  const rec: InferenceRecord = {
    startS: null,
    endS: null,
    promptTokens: counts.prompt_eval_count ?? null,
    promptMs: ms(ns.prompt_eval_duration),
    genTokens: counts.eval_count ?? null,
    genMs: ms(ns.eval_duration),
    totalMs: ms(ns.total_duration),
    correct: null,
    line,
    lineEnd,
  };
  if (typeof obj.created_at === "string") {
    const t = isoToEpochS(obj.created_at);
    if (!t)
      sink.warn({
        file,
        line,
        message: `field "created_at": cannot read ${JSON.stringify(obj.created_at)} as a date-time; times left unknown`,
      });
    else {
      if (t.zoneless) sink.warn({ file, line, message: `field "created_at" has no time zone; read as UTC` });
      rec.endS = t.epochS;
      if (rec.totalMs !== null) rec.startS = t.epochS - rec.totalMs / 1000;
    }
  }
  warnImplausiblePrompt(rec, file, sink, options.maxPromptTokensPerS ?? DEFAULT_MAX_PROMPT_TOKENS_PER_S);
  return rec;
}

export function createOllamaJsonParser(
  file: string,
  sink: ParseSink,
  options: OllamaOptions = {},
): LineParser<InferenceRecord> {
  const splitter = createJsonSplitter(file, sink);
  const convert = (chunks: ReturnType<typeof splitter.push>): InferenceRecord[] => {
    const out: InferenceRecord[] = [];
    for (const chunk of chunks) {
      const obj = parseJsonObject(chunk, file, sink);
      if (!obj) continue;
      const rec = ollamaRecord(
        obj,
        { file, line: chunk.line, lineEnd: chunk.lineEnd, text: chunk.text },
        sink,
        options,
      );
      if (rec) out.push(rec);
    }
    return out;
  };
  return {
    push: (line, lineNo) => convert(splitter.push(line, lineNo)),
    end: () => convert(splitter.end()),
  };
}

// ---------------------------------------------------------------------------------------------
// `ollama run --verbose`
// ---------------------------------------------------------------------------------------------

/** The figures `ollama run --verbose` prints. */
type VerboseKey =
  | "total duration"
  | "load duration"
  | "prompt eval count"
  | "prompt eval duration"
  | "prompt eval rate"
  | "eval count"
  | "eval duration"
  | "eval rate";

const VERBOSE_LINE =
  /^\s*(total duration|load duration|prompt eval count|prompt eval duration|prompt eval rate|eval count|eval duration|eval rate):\s*(.*?)\s*$/;

/** Does this line look like one of `ollama run --verbose`'s figures (used by detection)? */
export function isOllamaVerboseLine(line: string): boolean {
  return VERBOSE_LINE.test(line);
}

/** The value of one `--verbose` figure (count, rate or Go duration in ms); null, with the reason, when unreadable. */
function verboseValue(key: VerboseKey, valueText: string, reject: (reason: string) => void): number | null {
  if (key.endsWith("count")) {
    const cm = /^(\d+)(?:\s*token\(?s?\)?)?$/.exec(valueText);
    if (!cm) reject(`"${key}": expected "N token(s)"`);
    return cm ? Number(cm[1]) : null;
  }
  if (key.endsWith("rate")) {
    const rm = /^(\d+(?:\.\d+)?|\+?Inf|NaN)\s*tokens\/s$/i.exec(valueText);
    if (!rm) reject(`"${key}": expected "X tokens/s"`);
    return rm && /^\d/.test(rm[1]!) ? Number(rm[1]) : null;
  }
  const value = goDurationMs(valueText);
  if (value === null) {
    const unit = /[a-zµμ]+\s*$/i.exec(valueText)?.[0];
    reject(
      unit
        ? `"${key}": unknown duration unit "${unit}" (expected h, m, s, ms, µs, ns)`
        : `"${key}": expected a duration such as 1.2s or 235ms`,
    );
  }
  return value;
}

/**
 * `ollama run --verbose` text:
 *
 *     total duration:       1.740424083s
 *     load duration:        20.229708ms
 *     prompt eval count:    26 token(s)
 *     prompt eval duration: 235.624ms
 *     prompt eval rate:     110.35 tokens/s
 *     eval count:           298 token(s)
 *     eval duration:        1.482186s
 *     eval rate:            201.06 tokens/s
 *
 * Durations are Go durations (`1m2.5s`, `500µs`, `12ms`, `1.2s`). A block starts at
 * `total duration:` (or at the first figure after a finished block) and holds one inference; the
 * model's answer printed between blocks is not part of the format. A figure with an unknown unit
 * is quarantined (its block keeps the other figures and gets no value for it).
 */
export function createOllamaVerboseParser(
  file: string,
  sink: ParseSink,
  options: OllamaOptions = {},
): LineParser<InferenceRecord> {
  let block: Partial<Record<VerboseKey, number | null>> | null = null;
  let first = 0;
  let last = 0;
  const repeated = createRepeatCheck();
  const flush = (): InferenceRecord[] => {
    const b = block;
    block = null;
    if (!b) return [];
    const rec: InferenceRecord = {
      startS: null,
      endS: null,
      promptTokens: b["prompt eval count"] ?? null,
      promptMs: b["prompt eval duration"] ?? null,
      genTokens: b["eval count"] ?? null,
      genMs: b["eval duration"] ?? null,
      totalMs: b["total duration"] ?? null,
      correct: null,
      line: first,
      lineEnd: last,
    };
    const promptRate = b["prompt eval rate"];
    const genRate = b["eval rate"];
    if (promptRate != null || genRate != null)
      rec.printed = {
        ...(promptRate == null ? {} : { promptTokPerS: promptRate }),
        ...(genRate == null ? {} : { genTokPerS: genRate }),
      };
    if (rec.totalMs === null && rec.genMs === null && rec.promptMs === null) {
      sink.warn({
        file,
        line: first,
        message: `--verbose block at lines ${first}-${last} has no duration: not an inference, skipped`,
      });
      return [];
    }
    warnImplausiblePrompt(rec, file, sink, options.maxPromptTokensPerS ?? DEFAULT_MAX_PROMPT_TOKENS_PER_S);
    return [rec];
  };
  return {
    push(line, lineNo) {
      const m = VERBOSE_LINE.exec(line);
      if (!m) return [];
      const dup = repeated(line, lineNo);
      if (dup !== null) {
        sink.quarantine({ file, line: lineNo, text: clip(line), reason: dup });
        return [];
      }
      const key = m[1] as VerboseKey;
      const out: InferenceRecord[] = [];
      if (block && (key === "total duration" || key in block)) out.push(...flush());
      if (!block) {
        block = {};
        first = lineNo;
      }
      last = lineNo;
      const b: Partial<Record<VerboseKey, number | null>> = block;
      const value = verboseValue(key, m[2]!, (reason) =>
        sink.quarantine({ file, line: lineNo, text: clip(line), reason }),
      );
      b[key] = value;
      if (key === "eval rate") out.push(...flush());
      return out;
    },
    end() {
      return flush();
    },
  };
}
