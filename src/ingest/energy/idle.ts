import { inputError } from "../../errors.js";
import type { QuarantineEntry } from "../types.js";
import { integrateWindows, type IntegrateOptions, type LineSpan, type WindowEnergy } from "./integrate.js";
import type { SampleSource } from "./samples.js";

/** Least share of the idle segment that power data must cover. */
export const IDLE_MIN_COVERAGE = 0.9;

/** An idle segment must have a positive length. */
export function checkIdleSegment(segment: { startS: number; endS: number }): void {
  if (!(segment.endS > segment.startS)) {
    throw inputError(`idle segment ${segment.startS} … ${segment.endS} s is empty`, { hint: "give start_s < end_s" });
  }
}

/** Where an idle window lies, for messages: the power file, and the readings quarantined from it. */
export interface IdleWindowContext {
  file?: string;
  quarantined?: readonly QuarantineEntry[];
}

/** `1–15, 20, 31–33` for sorted line numbers (at most 6 ranges shown). */
function lineRanges(lines: readonly number[]): string {
  const ranges: string[] = [];
  for (let i = 0; i < lines.length;) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j]! + 1) j++;
    ranges.push(j === i ? String(lines[i]) : `${lines[i]}–${lines[j]}`);
    i = j + 1;
  }
  return ranges.length <= 6 ? ranges.join(", ") : `${ranges.slice(0, 6).join(", ")}, …`;
}

/**
 * The readings quarantined inside a window's lines, and the runs of quarantined lines that touch
 * it (readings missing at an edge are what leave an edge uncovered).
 */
function quarantinedNear(span: LineSpan | null, where: IdleWindowContext): QuarantineEntry[] {
  if (span === null) return [];
  const mine = (where.quarantined ?? []).filter((q) => where.file === undefined || q.file === where.file);
  const byLine = new Map(mine.map((q) => [q.line, q]));
  const out = mine.filter((q) => q.line >= span.lineStart && q.line <= span.lineEnd);
  for (let l = span.lineStart - 1; byLine.has(l); l--) out.push(byLine.get(l)!);
  for (let l = span.lineEnd + 1; byLine.has(l); l++) out.push(byLine.get(l)!);
  return out.sort((x, y) => x.line - y.line);
}

/**
 * Idle power (W) from the idle segment integrated as a window (in the same sweep as the
 * inferences' windows, or on its own): its mean power. Throws when the data cover less than 90 %,
 * naming the segment (field `files.idle`), the power file and the readings quarantined in it.
 */
export function idleFromWindow(
  w: WindowEnergy | undefined,
  segment: { startS: number; endS: number },
  where: IdleWindowContext = {},
): number {
  if (w === undefined || w.meanPowerW === null || w.coverage < IDLE_MIN_COVERAGE) {
    const pct = ((w?.coverage ?? 0) * 100).toFixed(0);
    const inside = quarantinedNear(w?.lines ?? null, where);
    const quarantined =
      inside.length === 0
        ? ""
        : `; ${inside.length} reading(s) quarantined in it or at its edge: ` +
          `lines ${lineRanges(inside.map((q) => q.line))} (first: ${inside[0]!.reason})`;
    throw inputError(
      `power data cover ${pct} % of the idle segment ${segment.startS} … ${segment.endS} s${quarantined}`,
      {
        ...(where.file === undefined ? {} : { file: where.file }),
        ...(inside[0] === undefined ? {} : { line: inside[0].line, text: inside[0].text }),
        field: "files.idle",
        hint:
          inside.length > 0
            ? "the idle segment needs 90 % of its time covered: move it off the quarantined readings, or fix them"
            : "measure idle inside the power log's time range (check the clock offset), or give a separate idle log",
      },
    );
  }
  return w.meanPowerW;
}

/**
 * Idle power (W): the time-weighted mean power over a measured idle segment (trapezoid, edges
 * interpolated), on the same clock and with the same calibration as the windows it will be
 * subtracted from. Throws when the data cover less than 90 % of the segment.
 * @example const idleW = await idleBaselineW(readPowerLog("idle.log"), { startS: 0, endS: 60 });
 */
export async function idleBaselineW(
  samples: SampleSource,
  segment: { startS: number; endS: number },
  options: Omit<IntegrateOptions, "idlePowerW"> = {},
): Promise<number> {
  checkIdleSegment(segment);
  const [w] = await integrateWindows(samples, [{ id: "idle", ...segment }], options);
  return idleFromWindow(w, segment);
}
