import { BENCHMARKS, type Backend } from "../domain/ids.js";
import { findDevice, type DeviceCatalog } from "../catalog/devices.js";
import { findModel, paperQuant, type ModelCatalog } from "../catalog/models.js";
import { inputError } from "../errors.js";
import { inferenceCounts } from "../paper/inferences.js";
import type { PaperCell, PaperData } from "../paper/types.js";

/**
 * One measured (platform, model, quantization, benchmark) cell the model is fitted to: the mean
 * latency and energy of one inference, and what the source says about tokens per inference.
 */
export interface Observation {
  device: string;
  backend: Backend;
  powerMode: string;
  model: string;
  quant: string;
  benchmark: string;
  /** Mean latency of one inference (s). */
  latencyS: number;
  /** Mean energy of one inference (Wh). */
  energyWh: number;
  inferences: number;
  /** Tokens per inference as the source reports them (tokens/s × latency), null when it does not. */
  reportedTokensPerInference: number | null;
  /** Prompt and generated tokens per inference when a run log states them (ingested runs). */
  promptTokens: number | null;
  genTokens: number | null;
  source: string;
}

/** Assumptions the paper profile adds to the published cells (overridable per model/device). */
export interface PaperAssumptions {
  quantByModel: Record<string, string>;
  powerModeByDevice: Record<string, string>;
}

export function paperAssumptions(
  models: ModelCatalog,
  devices: DeviceCatalog,
  overrides: Partial<PaperAssumptions> = {},
): PaperAssumptions {
  const quantByModel: Record<string, string> = {};
  for (const m of models.models) if (m.paperProfile) quantByModel[m.id] = paperQuant(m);
  const powerModeByDevice: Record<string, string> = {};
  // Only the boards the paper measured: the paper profile assumes nothing about the others.
  for (const d of devices.devices) if (d.paperPowerMode) powerModeByDevice[d.id] = d.paperPowerMode.powerMode;
  return {
    quantByModel: { ...quantByModel, ...(overrides.quantByModel ?? {}) },
    powerModeByDevice: { ...powerModeByDevice, ...(overrides.powerModeByDevice ?? {}) },
  };
}

/**
 * The paper's consolidated table as observations: per-inference latency as printed, per-inference
 * energy = the benchmark's total energy / its inference count (derived from the tables), and for
 * HellaSwag and Winogrande the tokens per inference that tokens/s × latency implies.
 */
export function observationsFromPaper(
  paper: PaperData,
  models: ModelCatalog,
  devices: DeviceCatalog,
  assumptions: PaperAssumptions,
): Observation[] {
  const counts = inferenceCounts(paper.cells);
  const get = (
    c: { device: string; backend: string; model: string; benchmark: string | null },
    table: string,
    metric: string,
  ): PaperCell | undefined =>
    paper.cells.find(
      (x) =>
        x.table === table &&
        x.metric === metric &&
        x.device === c.device &&
        x.backend === c.backend &&
        x.model === c.model &&
        x.benchmark === c.benchmark,
    );
  const out: Observation[] = [];
  for (const lat of paper.cells.filter((c) => c.table === "consolidated" && c.metric === "latency_s")) {
    if (lat.benchmark === null) continue;
    const energy = get(lat, "consolidated", "energy_wh");
    if (!energy)
      throw inputError(`no energy cell beside the latency cell`, { file: lat.source.file, line: lat.source.csvLine });
    findModel(models, lat.model);
    findDevice(devices, lat.device);
    const quant = assumptions.quantByModel[lat.model];
    const powerMode = assumptions.powerModeByDevice[lat.device];
    if (quant === undefined || powerMode === undefined) {
      throw inputError(`no paper-profile assumption for ${lat.model} on ${lat.device}`, {
        hint: "add a paperProfile to the catalog entry",
      });
    }
    const n = counts[lat.benchmark];
    const tput = lat.benchmark === "mmlu" ? undefined : get(lat, "throughput", "throughput");
    out.push({
      device: lat.device,
      backend: lat.backend,
      powerMode,
      model: lat.model,
      quant,
      benchmark: lat.benchmark,
      latencyS: lat.value,
      energyWh: energy.value / n,
      inferences: n,
      reportedTokensPerInference: tput ? tput.value * lat.value : null,
      promptTokens: null,
      genTokens: null,
      source: `${lat.source.file}:${lat.source.csvLine} (printed row ${lat.source.printedRow})`,
    });
  }
  const order = (b: string) => BENCHMARKS.indexOf(b as (typeof BENCHMARKS)[number]);
  return out.sort(
    (a, b) =>
      `${a.device}/${a.backend}/${a.model}`.localeCompare(`${b.device}/${b.backend}/${b.model}`) ||
      order(a.benchmark) - order(b.benchmark),
  );
}

export const platformOf = (o: Pick<Observation, "device" | "backend" | "powerMode">): string =>
  `${o.device}/${o.backend}/${o.powerMode}`;
