import type { InferenceRecord } from "../types.js";
import { createRepeatCheck } from "./duplicates.js";
import { clip, type LineParser, type ParseSink } from "./sink.js";

/**
 * llama.cpp timing lines, as llama-cli, llama-server and libraries built on llama.cpp print them:
 *
 *     llama_perf_context_print: prompt eval time =    4245.68 ms /     8 tokens (  530.71 ms per token, …)
 *     llama_perf_context_print:        eval time =  124973.60 ms /   127 runs   (  984.04 ms per token, …)
 *     llama_perf_context_print:       total time =  129561.47 ms /   135 tokens
 *
 * Older builds print `llama_print_timings:` instead; llama-server prints the same lines per
 * request without a prefix (after `slot print_timing: …`), and its older JSON-ish log appends
 * `| … timestamp=<epoch s>`. Each prompt-eval / eval group becomes one record. A time of
 * `0.00 ms` is what some builds print when they did not measure: it is read as missing (null);
 * `nan`, `inf` or a number too long to be a duration is quarantined with the line. Builds run
 * under a locale with a decimal comma print `4082,84 ms`: read as 4082.84 (printf never groups
 * thousands, so a comma in these figures is always the decimal mark).
 * Other lines of the log (model loading, generated text) are not part of the format and are
 * ignored; a timing line that does not parse (truncated, garbled) is quarantined.
 */

type TimingKind = "prompt eval" | "eval" | "total" | "load" | "sampling" | "sample";

const TIMING_START = /(?:^|[\s:|\]])(prompt eval|eval|total|load|sampling|sample) time\s*=/;
const TIMING_FULL =
  /(?:^|[\s:|\]])(prompt eval|eval|total|load|sampling|sample) time\s*=\s*(-?nan(?:\(ind\))?|-?inf(?:inity)?|\d+(?:[.,]\d+)?)\s*ms(?:\s*\/\s*(\d+)\s*(tokens?|runs?))?/;
/** A duration above this (a year, in ms) is no measurement of one request: a garbled number. */
const MAX_TIMING_MS = 365 * 24 * 3600 * 1000;
const SERVER_TIMESTAMP = /\btimestamp=(\d{9,}(?:\.\d+)?)\b/;

interface Group {
  promptMs: number | null;
  promptTokens: number | null;
  genMs: number | null;
  genTokens: number | null;
  totalMs: number | null;
  totalTokens: number | null;
  hasPrompt: boolean;
  hasEval: boolean;
  first: number;
  last: number;
  timestampS: number | null;
}

const emptyGroup = (line: number): Group => ({
  promptMs: null,
  promptTokens: null,
  genMs: null,
  genTokens: null,
  totalMs: null,
  totalTokens: null,
  hasPrompt: false,
  hasEval: false,
  first: line,
  last: line,
  timestampS: null,
});

/** Does this line look like a llama.cpp timing line (used by detection too)? */
export function isLlamaCppTimingLine(line: string): boolean {
  return TIMING_START.test(line) && /\bms\b|=\s*$/.test(line);
}

/** One request's record from its group of timing lines. */
function groupRecord(g: Group): InferenceRecord {
  const rec: InferenceRecord = {
    startS: null,
    endS: g.timestampS,
    promptTokens: g.promptTokens,
    promptMs: g.promptMs,
    genTokens: g.genTokens,
    genMs: g.genMs,
    totalMs: g.totalMs,
    correct: null,
    line: g.first,
    lineEnd: g.last,
  };
  if (g.timestampS !== null && g.totalMs !== null) rec.startS = g.timestampS - g.totalMs / 1000;
  else if (g.timestampS !== null) rec.endS = null; // a time stamp without a duration places nothing
  return rec;
}

/** Put one timing line's figures into its request's group. */
function addTiming(g: Group, kind: TimingKind, measured: number | null, count: number | null): void {
  if (kind === "prompt eval") {
    g.hasPrompt = true;
    g.promptMs = measured;
    g.promptTokens = count;
  } else if (kind === "eval") {
    g.hasEval = true;
    g.genMs = measured;
    g.genTokens = count;
  } else if (kind === "total") {
    g.totalMs = measured;
    g.totalTokens = count;
  }
}

/**
 * Why a timing line's figures are no measurement (`nan`, `inf`, a number too long to be one, a
 * count that is not an integer), or null. Only the figures a record uses are checked: `load` and
 * `sampling` times are not read.
 */
function badTiming(kind: TimingKind, valueText: string, ms: number | null, countText?: string): string | null {
  if (kind !== "prompt eval" && kind !== "eval" && kind !== "total") return null;
  if (ms === null) return `llama.cpp "${kind} time" is ${valueText} ms: not a measurement`;
  if (!Number.isFinite(ms) || ms > MAX_TIMING_MS) {
    return `llama.cpp "${kind} time" of ${clip(valueText, 40)} ms is not a plausible duration (over a year)`;
  }
  if (countText !== undefined && !Number.isSafeInteger(Number(countText))) {
    return `llama.cpp "${kind} time" token count ${clip(countText, 40)} is not a plausible count`;
  }
  return null;
}

export function createLlamaCppParser(file: string, sink: ParseSink): LineParser<InferenceRecord> {
  let group: Group | null = null;
  const repeated = createRepeatCheck();

  const flush = (): InferenceRecord[] => {
    const g = group;
    group = null;
    if (!g) return [];
    if (!g.hasPrompt && !g.hasEval) {
      sink.warn({
        file,
        line: g.first,
        message: `timing lines ${g.first}-${g.last} hold no prompt eval or eval time: not an inference, skipped`,
      });
      return [];
    }
    return [groupRecord(g)];
  };

  return {
    push(line, lineNo) {
      if (!TIMING_START.test(line)) return [];
      const dup = repeated(line, lineNo);
      if (dup !== null) {
        sink.quarantine({ file, line: lineNo, text: clip(line), reason: dup });
        return [];
      }
      const m = TIMING_FULL.exec(line);
      if (!m) {
        sink.quarantine({
          file,
          line: lineNo,
          text: clip(line),
          reason: 'llama.cpp timing line without a readable "<x> ms" value (truncated or garbled)',
        });
        return [];
      }
      const kind = m[1] as TimingKind;
      const valueText = m[2]!;
      // A decimal comma is the user's locale (printf's %f under de_DE, say): `4082,84 ms`.
      const ms = /nan|inf/.test(valueText) ? null : Number(valueText.replace(",", "."));
      const count = m[3] === undefined ? null : Number(m[3]);
      const needsCount = kind === "prompt eval" || kind === "eval";
      const bad = badTiming(kind, valueText, ms, m[3]);
      if (bad !== null) {
        sink.quarantine({ file, line: lineNo, text: clip(line), reason: bad });
        return [];
      }
      if (needsCount && count === null) {
        sink.quarantine({
          file,
          line: lineNo,
          text: clip(line),
          reason: `llama.cpp "${kind} time" line without its "/ N tokens" count (truncated?)`,
        });
        return [];
      }
      const out: InferenceRecord[] = [];
      // A new prompt eval (or a second eval) starts the next request's group.
      if (
        group &&
        ((kind === "prompt eval" && (group.hasPrompt || group.hasEval)) || (kind === "eval" && group.hasEval))
      ) {
        out.push(...flush());
      }
      if (!group) group = emptyGroup(lineNo);
      const g: Group = group;
      g.last = lineNo;
      const ts = SERVER_TIMESTAMP.exec(line);
      if (ts) g.timestampS = Number(ts[1]);
      // 0.00 ms: not measured by this build (and nan/inf rates follow from it): missing.
      addTiming(g, kind, ms === 0 ? null : ms, count);
      if (kind === "total") out.push(...flush());
      return out;
    },
    end() {
      return flush();
    },
  };
}
