import { inputError } from "../../errors.js";
import { msToS } from "../../metrics/units.js";
import type { RowWarning } from "../types.js";
import type { ChannelEnergy, ChannelSum } from "./channels.js";
import type { PlacedRun, UsableRecord } from "./place.js";
import { MIN_WINDOW_COVERAGE, type InferenceRow, type LoadedBundle } from "./result.js";
import type { PlacedWindow } from "./windows.js";

/** An inference's energy (gross and net, per repetition) and what is worth knowing about it. */
function rowEnergy(
  w: PlacedWindow | null,
  e: ChannelSum | null,
): { gross: number | null; net: number | null; warnings: RowWarning[] } {
  const warnings: RowWarning[] = [];
  let gross: number | null = null;
  let net: number | null = null;
  if (!w) {
    const message = "no wall-clock times: energy not computed (give the manifest a placement to place such logs)";
    warnings.push({ code: "no-wall-clock", message });
  } else if (e) {
    warnings.push(...e.warnings);
    if (e.coverage >= MIN_WINDOW_COVERAGE && e.durationS > 0) {
      gross = e.energyJ / w.repetitions;
      net = e.netEnergyJ === null ? null : e.netEnergyJ / w.repetitions;
    } else if (e.durationS > 0) {
      const message = `energy not computed: the power log covers ${(e.coverage * 100).toFixed(1)} % of the window`;
      warnings.push({ code: "low-coverage", coverage: e.coverage, message });
    }
  }
  if (w?.placed) {
    const message = "placed back to back from the manifest's placement: window edges are approximate";
    warnings.push({ code: "placed", message });
  }
  if (w?.repetitionsAssumed) {
    const message =
      "the log does not say how many times this llama-bench test ran: its window assumes 1 repetition " +
      "(set placement.repetitions to llama-bench's -r)";
    warnings.push({ code: "repetitions-assumed", message });
  }
  return { gross, net, warnings };
}

function inferenceRow(
  b: LoadedBundle,
  x: UsableRecord,
  w: PlacedWindow | null,
  e: ChannelSum | null,
  powerSha256: readonly string[],
): InferenceRow {
  const r = x.record;
  const measured = b.files.power.length > 0;
  const { gross, net, warnings } = measured ? rowEnergy(w, e) : { gross: null, net: null, warnings: [] };
  const inferenceFile = b.files.inference[x.file]!.name;
  return {
    runId: b.runId,
    index: x.index,
    itemId: r.itemId ?? null,
    label: r.label ?? null,
    startS: w ? w.startS : r.startS,
    endS: w ? w.endS : r.endS,
    placed: w?.placed ?? false,
    promptTokens: r.promptTokens,
    genTokens: r.genTokens,
    prefillS: r.promptMs === null ? null : msToS(r.promptMs),
    decodeS: r.genMs === null ? null : msToS(r.genMs),
    latencyS: x.latencyS,
    energyGrossJ: gross,
    energyNetJ: net,
    meanPowerW: gross === null ? null : (e?.meanPowerW ?? null),
    powerCoverage: e ? e.coverage : null,
    correct: r.correct,
    warnings,
    inferenceFile,
    inferenceSha256: b.sha256.get(inferenceFile)!,
    inferenceLines: [r.line, r.lineEnd ?? r.line],
    power: (e?.spans ?? []).map((s) => ({
      file: b.files.power[s.file]!.name,
      sha256: powerSha256[s.file]!,
      lines: [s.lineStart, s.lineEnd] as [number, number],
    })),
  };
}

/**
 * Stage 4, build rows: one row per usable inference, with its energy per repetition (when the
 * power log covers its window), its warnings and the provenance of both, sorted by index.
 * Throws when two inferences share an index.
 */
export function buildRows(
  b: LoadedBundle,
  placed: PlacedRun,
  energy: ChannelEnergy | null,
  powerSha256: readonly string[],
): InferenceRow[] {
  const rows = placed.usable.map((x, i) =>
    inferenceRow(b, x, placed.windows[i] ?? null, energy?.energies[i] ?? null, powerSha256),
  );
  rows.sort((a, b) => a.index - b.index);
  for (let i = 1; i < rows.length; i++) {
    if (rows[i]!.index === rows[i - 1]!.index)
      throw inputError(`two inferences with index ${rows[i]!.index}`, { file: b.manifestFile });
  }
  return rows;
}
