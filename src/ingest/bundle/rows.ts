import { inputError } from "../../errors.js";
import { msToS } from "../../metrics/units.js";
import type { RowWarning } from "../types.js";
import { joulesPerToken } from "../../metrics/energy.js";
import type { ChannelEnergy, ChannelSum, PhaseSums } from "./channels.js";
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

/** Prefill and decode energy of an inference (J per repetition), gross and net. */
interface PhaseEnergy {
  prefillJ: number | null;
  decodeJ: number | null;
  prefillNetJ: number | null;
  decodeNetJ: number | null;
}

const NO_PHASES: PhaseEnergy = { prefillJ: null, decodeJ: null, prefillNetJ: null, decodeNetJ: null };

/**
 * The phases' energies, when the inference has an energy and the log both durations: a phase
 * of zero length (a llama-bench tg test's prefill) has 0 J; a phase the power log does not cover
 * has none.
 */
function phaseEnergy(w: PlacedWindow | null, ph: PhaseSums | null, gross: number | null): PhaseEnergy {
  if (w === null || ph === null || gross === null) return NO_PHASES;
  const one = (e: ChannelSum | null): { j: number | null; net: number | null } => {
    if (e === null) return { j: 0, net: 0 };
    if (e.coverage < MIN_WINDOW_COVERAGE) return { j: null, net: null };
    return { j: e.energyJ / w.repetitions, net: e.netEnergyJ === null ? null : e.netEnergyJ / w.repetitions };
  };
  const p = one(ph.prefill);
  const d = one(ph.decode);
  const idle = ph.prefill?.netEnergyJ !== null && ph.decode?.netEnergyJ !== null;
  return { prefillJ: p.j, decodeJ: d.j, prefillNetJ: idle ? p.net : null, decodeNetJ: idle ? d.net : null };
}

/** J per token of a phase, null without energy or tokens. */
export const perToken = (energyJ: number | null, tokens: number | null): number | null =>
  energyJ === null || tokens === null || tokens <= 0 ? null : joulesPerToken(energyJ, tokens);

function inferenceRow(
  b: LoadedBundle,
  x: UsableRecord,
  w: PlacedWindow | null,
  e: ChannelSum | null,
  ph: PhaseSums | null,
  powerSha256: readonly string[],
): InferenceRow {
  const r = x.record;
  const measured = b.files.power.length > 0;
  const { gross, net, warnings } = measured ? rowEnergy(w, e) : { gross: null, net: null, warnings: [] };
  const phase = measured ? phaseEnergy(w, ph, gross) : NO_PHASES;
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
    energyPrefillJ: phase.prefillJ,
    energyDecodeJ: phase.decodeJ,
    energyPrefillNetJ: phase.prefillNetJ,
    energyDecodeNetJ: phase.decodeNetJ,
    jPerPromptToken: perToken(phase.prefillJ, r.promptTokens),
    jPerGenToken: perToken(phase.decodeJ, r.genTokens),
    jPerPromptTokenNet: perToken(phase.prefillNetJ, r.promptTokens),
    jPerGenTokenNet: perToken(phase.decodeNetJ, r.genTokens),
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
    inferenceRow(b, x, placed.windows[i] ?? null, energy?.energies[i] ?? null, energy?.phases[i] ?? null, powerSha256),
  );
  rows.sort((a, b) => a.index - b.index);
  for (let i = 1; i < rows.length; i++) {
    if (rows[i]!.index === rows[i - 1]!.index)
      throw inputError(`two inferences with index ${rows[i]!.index}`, { file: b.manifestFile });
  }
  return rows;
}
