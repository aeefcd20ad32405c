/**
 * Damage a simulated log the way real logs get damaged, for the ingestion tests:
 *
 * - `truncate`: the logger was killed: the power log ends mid-line two thirds of the way through.
 * - `clock-jump`: the logger's clock steps back (an NTP correction) a third of the way through:
 *   readings after the step carry times up to `CLOCK_JUMP_S` earlier (applied while the log is
 *   written, see `printedTimeWithJump`).
 * - `garbage`: lines that are no reading (an I²C error, binary noise, a cut-off line) inserted
 *   between readings of the power log, and one in the inference log.
 * - `duplicate`: a block of readings written twice in a row (a logger's retry after a failed
 *   flush).
 *
 * Each damage is recorded with the 1-based lines it affects in the damaged file, so that tests
 * can check that the ingester quarantines or flags exactly those.
 */
import { requestError } from "./errors.js";
import type { Rng } from "../stats/rng.js";

export const DAMAGE_KINDS = ["truncate", "clock-jump", "garbage", "duplicate"] as const;
export type DamageKind = (typeof DAMAGE_KINDS)[number];

export const CLOCK_JUMP_S = 2;

export interface DamageRecord {
  kind: DamageKind;
  file: string;
  /** 1-based lines of the damaged file this damage wrote (inserted, duplicated, or the cut line). */
  lines: number[];
  /** 1-based first line of each damaged reading (what an ingester should quarantine). */
  readings: number[];
  detail: string;
}

export function parseDamage(list: readonly string[]): DamageKind[] {
  const out: DamageKind[] = [];
  for (const d of list) {
    if (!(DAMAGE_KINDS as readonly string[]).includes(d))
      throw requestError("damage", d, "unknown damage", `use any of ${DAMAGE_KINDS.join(", ")} (comma-separated)`);
    if (!out.includes(d as DamageKind)) out.push(d as DamageKind);
  }
  return out;
}

/** The logger's printed time when its clock steps back by CLOCK_JUMP_S at `jumpAtS` (logger clock). */
export function printedTimeWithJump(jumpAtS: number): (t: number) => number {
  return (t) => (t >= jumpAtS ? t - CLOCK_JUMP_S : t);
}

const GARBAGE = [
  "ERROR: i2c read failed (-121)",
  "\u00ff\u00fe\u00fd garbled \u00bf\u00bf",
  "%%%%%%%%%%%%%%%%%%%%",
  "Segmentation fault (core dumped)",
];

interface Lines {
  lines: string[];
  starts: number[];
}

/**
 * Insert garbage lines between readings (before reading k for a few k); returns their 1-based
 * lines in the new file.
 */
export function insertGarbage(l: Lines, rng: Rng, count: number): { lines: string[]; at: number[] } {
  const n = l.starts.length;
  const picks = new Set<number>();
  for (let i = 0; i < count && n > 2; i++) picks.add(rng.int(1, n - 1));
  const before = new Set([...picks].map((k) => l.starts[k]!));
  const out: string[] = [];
  const at: number[] = [];
  let g = 0;
  l.lines.forEach((line, i) => {
    if (before.has(i)) {
      // Every fifth is a cut-off copy of the next reading's first line (a write torn in half).
      const text =
        g % 5 === 4
          ? l.lines[i]!.slice(0, Math.max(3, Math.floor(l.lines[i]!.length / 3)))
          : GARBAGE[g % GARBAGE.length]!;
      out.push(text);
      at.push(out.length);
      g++;
    }
    out.push(line);
  });
  return { lines: out, at };
}

/** Write readings [k, k+m) twice; returns the 1-based lines of the copy. */
export function duplicateBlock(l: Lines, rng: Rng, m: number): { lines: string[]; at: number[]; readings: number[] } {
  const n = l.starts.length;
  const k = rng.int(Math.floor(n / 2), Math.max(Math.floor(n / 2), n - m - 1));
  const a = l.starts[k]!;
  const b = k + m < n ? l.starts[k + m]! : l.lines.length;
  const block = l.lines.slice(a, b);
  const lines = [...l.lines.slice(0, b), ...block, ...l.lines.slice(b)];
  const readings = l.starts.slice(k, k + m).map((s) => s - a + b + 1);
  return { lines, at: block.map((_, i) => b + i + 1), readings };
}

/** Cut the file two thirds through its readings, mid-line; returns the 1-based cut line. */
export function truncate(l: Lines): { text: string; at: number } {
  const k = Math.floor((l.starts.length * 2) / 3);
  const start = l.starts[k]!;
  const kept = l.lines.slice(0, start);
  const cut = l.lines[start]!.slice(0, Math.max(1, Math.floor(l.lines[start]!.length / 2)));
  return { text: kept.join("\n") + (kept.length > 0 ? "\n" : "") + cut, at: start + 1 };
}
