import { msToS } from "../../metrics/units.js";
import type { InferenceRecord } from "../types.js";

/**
 * Where an inference sits in time, on the inference log's clock. A log with wall-clock times
 * gives start and end directly (collector JSONL, Ollama's `created_at`, old llama-server time
 * stamps). A log without them (llama.cpp timing lines, llama-bench) is placed only when the
 * manifest says how: back to back from `placement.start_s`, `gap_s` apart, each inference lasting
 * its stated duration (× repetitions for llama-bench tests, whose energy is then shared out per
 * repetition). Placement is approximate: it ignores time the log does not state (tokenization,
 * sampling, the client's own work), so each placed inference carries a warning saying so.
 */

/** Latency of one inference (s): wall clock when known, else the stated total, else prefill + decode. */
export function recordLatencyS(r: InferenceRecord): number | null {
  if (r.startS !== null && r.endS !== null && r.endS >= r.startS) return r.endS - r.startS;
  if (r.totalMs !== null) return r.totalMs / 1000;
  if (r.promptMs !== null && r.genMs !== null) return (r.promptMs + r.genMs) / 1000;
  return null;
}

export interface PlacedWindow {
  startS: number;
  endS: number;
  /** How many repetitions the window spans (energy is divided by it). */
  repetitions: number;
  /** True when the window comes from `placement`, not from the log's own times. */
  placed: boolean;
  /** True when a llama-bench test's repetitions were not in the log and 1 was assumed. */
  repetitionsAssumed?: boolean;
}

/**
 * Windows for a run's records (same order). `null` for a record that cannot be placed. When any
 * record has wall-clock times, records are not placed (mixing both would double-count time).
 */
export function inferenceWindows(
  records: readonly { record: InferenceRecord; latencyS: number }[],
  placement: { start_s: number; gap_s?: number; repetitions?: number } | undefined,
): (PlacedWindow | null)[] {
  const timed = (r: InferenceRecord) => r.startS !== null && r.endS !== null && r.endS >= r.startS;
  if (records.some((x) => timed(x.record)) || placement === undefined) {
    return records.map(({ record: r }) =>
      timed(r) ? { startS: r.startS!, endS: r.endS!, repetitions: 1, placed: false } : null,
    );
  }
  const gap = placement.gap_s ?? 0;
  let t = placement.start_s;
  return records.map(({ record: r, latencyS }) => {
    // llama-bench tests ran `repetitions` times: from the log (JSON samples), else the manifest.
    const known =
      r.repetitions !== undefined && r.repetitions > 0
        ? r.repetitions
        : r.label !== undefined
          ? placement.repetitions
          : 1;
    const reps = known ?? 1;
    const w: PlacedWindow = { startS: t, endS: t + latencyS * reps, repetitions: reps, placed: true };
    if (known === undefined) w.repetitionsAssumed = true;
    t = w.endS + gap;
    return w;
  });
}

/**
 * Where an inference's window splits into its phases: prefill from the window's start for the
 * log's prefill time (× repetitions, clamped to the window), decode from there to the window's
 * end (so decode takes whatever the log does not attribute, sampling and client time included,
 * and the two phases add up to the window). Null when the log lacks either duration.
 */
export function phaseSplitS(w: PlacedWindow, r: InferenceRecord): number | null {
  if (r.promptMs === null || r.genMs === null) return null;
  const prefillS = msToS(r.promptMs) * w.repetitions;
  return Math.min(w.endS, w.startS + Math.max(0, prefillS));
}
