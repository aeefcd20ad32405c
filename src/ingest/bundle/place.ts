import { inputError } from "../../errors.js";
import type { IngestWarning, InferenceRecord, QuarantineEntry } from "../types.js";
import { runWarning } from "../warnings.js";
import type { LoadedBundle } from "./result.js";
import { inferenceWindows, recordLatencyS, type PlacedWindow } from "./windows.js";

/** An inference with a duration, its index and its file. */
export interface UsableRecord {
  record: InferenceRecord;
  /** Index of its file in `files.inference`. */
  file: number;
  index: number;
  latencyS: number;
}

/** Stage 2, place windows: every usable inference with its window (null when it cannot be placed). */
export interface PlacedRun {
  usable: UsableRecord[];
  /** Same order as `usable`. */
  windows: (PlacedWindow | null)[];
  /** From the first window's start to the last one's end; null when nothing is placed. */
  spanWindow: { startS: number; endS: number } | null;
  quarantined: QuarantineEntry[];
  warnings: IngestWarning[];
}

/** How many windows start before an earlier-starting window has ended. */
export function countOverlaps(windows: readonly (PlacedWindow | null)[]): number {
  const sorted = windows.filter((w): w is PlacedWindow => w !== null).sort((a, b) => a.startS - b.startS);
  let n = 0;
  let lastEnd = -Infinity;
  for (const w of sorted) {
    if (w.startS < lastEnd - 1e-9) n++;
    lastEnd = Math.max(lastEnd, w.endS);
  }
  return n;
}

/** Indexes (the log's own when it numbers every record uniquely) and durations; records without one are quarantined. */
function usableRecords(b: LoadedBundle, quarantined: QuarantineEntry[]): UsableRecord[] {
  const items = b.records;
  const ownIndex =
    items.every((x) => x.record.index !== undefined) && new Set(items.map((x) => x.record.index)).size === items.length;
  const usable: UsableRecord[] = [];
  items.forEach((x, pos) => {
    const latencyS = recordLatencyS(x.record);
    if (latencyS === null) {
      const r = x.record;
      quarantined.push({
        file: b.files.inference[x.file]!.name,
        line: r.line,
        text:
          `prompt_tokens=${r.promptTokens ?? "?"} prompt_ms=${r.promptMs ?? "?"} ` +
          `gen_tokens=${r.genTokens ?? "?"} gen_ms=${r.genMs ?? "?"}`,
        reason: "the inference has no duration (no wall-clock times, no total time, prefill or decode time missing)",
      });
      return;
    }
    usable.push({ ...x, index: ownIndex ? x.record.index! : pos, latencyS });
  });
  return usable;
}

function spanOf(windows: readonly (PlacedWindow | null)[]): { startS: number; endS: number } | null {
  const placed = windows.filter((w): w is PlacedWindow => w !== null);
  if (placed.length === 0) return null;
  return {
    startS: placed.reduce((a, w) => Math.min(a, w.startS), Infinity),
    endS: placed.reduce((a, w) => Math.max(a, w.endS), -Infinity),
  };
}

/**
 * Place every inference in time: its window from the log's wall-clock times, or back to back
 * from the manifest's placement. Throws when no inference has a duration.
 */
export function placeWindows(b: LoadedBundle): PlacedRun {
  const quarantined: QuarantineEntry[] = [];
  const warnings: IngestWarning[] = [];
  const usable = usableRecords(b, quarantined);
  if (usable.length === 0) {
    throw inputError("no inference in the bundle has a duration", {
      file: b.manifestFile,
      hint: "see quarantine: every record lacks its times",
    });
  }
  const placement = b.manifest.placement;
  if (placement && usable.some((x) => x.record.startS !== null && x.record.endS !== null)) {
    const message = "placement ignored: the inference log has wall-clock times";
    warnings.push(runWarning(b.manifestFile, { code: "placement-ignored", message }));
  }
  const windows = inferenceWindows(usable, placement);
  const overlaps = countOverlaps(windows);
  if (overlaps > 0) {
    const message =
      `${overlaps} inference window(s) overlap the one before (concurrent requests?): power shared by overlapping ` +
      "inferences is counted in each, so per-inference energies add up to more than the device used; " +
      "compare span_energy_wh";
    warnings.push(runWarning(b.manifestFile, { code: "overlapping-windows", overlaps, message }));
  }
  return { usable, windows, spanWindow: spanOf(windows), quarantined, warnings };
}
