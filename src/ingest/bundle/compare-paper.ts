import { averagePowerW } from "../../metrics/energy.js";
import { whToJ } from "../../metrics/units.js";
import type { Benchmark } from "../../domain/ids.js";
import { inferenceCounts } from "../../paper/inferences.js";
import type { PaperCell, PaperMetric } from "../../paper/types.js";
import type { BundleResult } from "./result.js";

/** One metric of an ingested run beside the paper's value for the same platform, model and benchmark. */
export interface PaperComparisonRow {
  metric: string;
  unit: string;
  /** Ours, from the ingested run (gross energy, as the paper measured whole-device power). */
  ours: number | null;
  /** The paper's value, per inference where the paper prints a run total. */
  paper: number | null;
  /** ours ÷ paper, null when either is missing. */
  ratio: number | null;
  /** How the paper's value was read or derived. */
  note: string;
}

function row(
  metric: string,
  unit: string,
  ours: number | null,
  paper: number | null,
  note: string,
): PaperComparisonRow {
  return {
    metric,
    unit,
    ours,
    paper,
    ratio: ours === null || paper === null || paper === 0 ? null : ours / paper,
    note,
  };
}

const printed = (cell: PaperCell | undefined): string => (cell ? `printed "${cell.printed}"` : "not published");

/**
 * Put an ingested run beside the paper: the cells the paper publishes for the bundle's device,
 * backend, model and benchmark, brought to a per-inference footing where the paper prints a total
 * for its whole benchmark run (energy ÷ the number of inferences its tables imply). Throughput and
 * per-Wh figures follow the paper's convention: inferences for MMLU, tokens otherwise (our tokens
 * are prompt + generated; the slides do not say which tokens the paper counted). Empty when the
 * paper has no cell for this combination (another device, model or benchmark).
 */
export function compareWithPaper(result: BundleResult, cells: readonly PaperCell[]): PaperComparisonRow[] {
  const m = result.manifest;
  const pick = (metric: PaperMetric): PaperCell | undefined =>
    cells.find(
      (c) =>
        c.device === m.device &&
        c.backend === m.backend &&
        c.model === m.model &&
        c.benchmark === m.benchmark &&
        c.metric === metric,
    );
  if (
    !cells.some(
      (c) => c.device === m.device && c.backend === m.backend && c.model === m.model && c.benchmark === m.benchmark,
    )
  )
    return [];
  const benchmark = m.benchmark as Benchmark;
  const n = inferenceCounts(cells)[benchmark];
  const g = result.run.gross;
  const energy = pick("energy_wh");
  const latency = pick("latency_s");
  const throughput = pick("throughput");
  const perWh = pick("per_wh");
  const accuracy = pick("accuracy_pct");
  const mmlu = benchmark === "mmlu";
  const paperEnergyPerInf = energy ? energy.value / n : null;
  const paperPowerW = energy && latency ? averagePowerW(whToJ(energy.value), n * latency.value) : null;
  return [
    row("accuracy", "%", result.run.accuracyPct, accuracy?.value ?? null, printed(accuracy)),
    row("latency per inference", "s", g.latencyS, latency?.value ?? null, printed(latency)),
    row(
      "energy per inference",
      "Wh",
      g.energyPerInferenceWh,
      paperEnergyPerInf,
      energy
        ? `printed run total "${energy.printed}" Wh ÷ ${n} inferences (the count the paper's tables imply)`
        : "not published",
    ),
    row(
      "mean power",
      "W",
      g.powerW,
      paperPowerW,
      energy && latency ? "derived: energy × 3600 ÷ (inferences × latency)" : "not published",
    ),
    row(
      mmlu ? "inferences per second" : "tokens per second",
      mmlu ? "1/s" : "tokens/s",
      mmlu ? g.inferencesPerS : g.tokensPerS,
      throughput?.value ?? null,
      throughput
        ? `printed "${throughput.printed}"${mmlu ? "" : "; our tokens = prompt + generated"}`
        : "not published",
    ),
    row(
      mmlu ? "inferences per Wh" : "tokens per Wh",
      mmlu ? "1/Wh" : "tokens/Wh",
      mmlu ? g.inferencesPerWh : g.tokensPerWh,
      perWh?.value ?? null,
      printed(perWh),
    ),
  ];
}
