import type { IntegrateOptions, EnergyWindow, WindowPart } from "../energy/integrate.js";
import type { PowerCalibration } from "../energy/calibration.js";
import type { TotalPart } from "../energy/total.js";
import type { PowerFormat, QuarantineEntry } from "../types.js";
import type { EngineCarry } from "./engine.js";

/**
 * A large power file read in blocks, on several threads, with the result of one sequential pass.
 *
 * The file is cut into blocks of `BLOCK_BYTES`: block j holds the lines that start in
 * [j × B, (j + 1) × B). What a block adds (energy, covered seconds, samples, line spans, the
 * interval histogram) is summed apart and the blocks' sums are added in file order, each block
 * in two parts: its first `PREFIX_LINES` lines (the edge) and the rest (the inner part). This
 * grouping is the definition, whichever thread reads which block, so one worker and eight give
 * the same bytes; a file of one block is read exactly as before.
 *
 * A block read on its own does not know the state its first readings meet (the reading before,
 * the jump limit, a reading held back, the line number): it guesses "nothing before", reads its
 * edge under that guess and its inner part from where the guess left it. The thread that stitches
 * the blocks reads each edge again with the true state; when the state after the edge is the
 * same both ways, every decision after it is the same too and the inner part stands. Otherwise
 * (a block of garbage, a reading held across the edge) and whenever the inner part quarantined a
 * line (whose reason may name lines by number), the block is read again in order, from the true
 * state. Only formats whose parser says each line reads on its own after the head
 * (`PowerLineParser.splittable`, usb-csv with numeric times) are split, and only LF-ended files.
 */

/** Bytes per block. */
export const BLOCK_BYTES = 8 * 1024 * 1024;
/** Lines at the start of a block read again with the true state. */
export const PREFIX_LINES = 64;

/** A reading as the engine kept it: power-log time, read power (before calibration), lines. */
export interface KeptReading {
  tS: number;
  powerW: number;
  line: number;
  lineEnd: number;
}

/** Where reading stands between two blocks. */
export interface BlockState {
  carry: EngineCarry | null;
  /** The last reading kept, null before any. */
  prev: KeptReading | null;
}

/** What a block's readings go into: a whole-file total, or windows. */
export type BlockSink =
  | { kind: "total"; calibration?: PowerCalibration }
  | { kind: "windows"; windows: readonly EnergyWindow[]; options: IntegrateOptions };

/** Reading options that can travel to a worker (no callbacks). */
export interface SplitReadOptions {
  intervalMs?: number;
  inputRail?: string;
  sumRails?: readonly string[];
  columns?: readonly string[];
  maxEnergyRangeUj?: number;
}

/** How a file is cut (see `planSplit` in io/power/blocks.ts). */
export interface SplitPlan {
  path: string;
  format: PowerFormat;
  options: SplitReadOptions;
  size: number;
  blocks: number;
  blockBytes: number;
  /** Bytes at the start of the file (whole lines) that teach a parser the header. */
  headBytes: number;
  rail: string;
  totalRule: string | null;
}

/** One block to read: with `start`, from the true state and line number; without, a guess. */
export interface BlockTask {
  plan: SplitPlan;
  block: number;
  sink: BlockSink;
  start?: { state: BlockState; lineOffset: number };
}

/** One part of a block: what it added, what it quarantined, its counts. */
export interface PartResult {
  part: TotalPart | WindowPart;
  quarantined: QuarantineEntry[];
  samples: number;
  rejected: number;
}

export interface BlockResult {
  block: number;
  /** No line starts in the block. */
  empty: boolean;
  /** Read under the guess (no `start`): the stitcher checks it. */
  guessed: boolean;
  /** Lines read (each ends with LF but perhaps the file's last). */
  lines: number;
  /** The block reached the end of the file. */
  eof: boolean;
  /** The first `PREFIX_LINES` lines' part, with a true start and block > 0; else null. */
  edge: PartResult | null;
  inner: PartResult;
  /** Without a true start: the state after the edge under the guess (lines from the block's start). */
  guess: BlockState | null;
  /** Without a true start: the edge's bytes, for the stitcher to read again. */
  prefix: Uint8Array | null;
  /** Without a true start: the edge is the whole block. */
  prefixIsAll: boolean;
  /** The state after the block (lines from the block's start without a true start). */
  end: BlockState;
}

/** `s` with its line numbers moved by `offset` (a guessed block's, once the lines before it are known). */
export function shiftState(s: BlockState, offset: number): BlockState {
  const c = s.carry;
  const held = c?.held ?? null;
  return {
    prev: s.prev === null ? null : { ...s.prev, line: s.prev.line + offset, lineEnd: s.prev.lineEnd + offset },
    carry:
      c === null
        ? null
        : {
            ...c,
            lastLine: c.lastLine + offset,
            held:
              held === null
                ? null
                : {
                    ...held,
                    after: held.after + offset,
                    sample: {
                      ...held.sample,
                      line: held.sample.line + offset,
                      ...(held.sample.lineEnd === undefined ? {} : { lineEnd: held.sample.lineEnd + offset }),
                    },
                  },
          },
  };
}

/** A part's line spans moved by `offset` (windows parts; totals carry none). */
export function shiftPart(p: TotalPart | WindowPart, offset: number): TotalPart | WindowPart {
  if (!("touched" in p) || offset === 0) return p;
  const t = p.touched.slice();
  for (let k = 0; k < t.length; k += 8) {
    if (t[k + 6]! >= 0) {
      t[k + 6]! += offset;
      t[k + 7]! += offset;
    }
  }
  return { touched: t, stats: p.stats };
}

/** Whether two states lead to the same decisions for every later reading. */
export function sameState(a: BlockState, b: BlockState): boolean {
  const x = a.carry,
    y = b.carry;
  if (x === null || y === null || x.held !== null || y.held !== null) return false;
  if (!Object.is(x.lastT, y.lastT) || x.lastLine !== y.lastLine || !Object.is(x.jumpS, y.jumpS)) return false;
  const p = a.prev,
    q = b.prev;
  if (p === null || q === null) return false;
  return Object.is(p.tS, q.tS) && Object.is(p.powerW, q.powerW) && p.line === q.line && p.lineEnd === q.lineEnd;
}
