/**
 * `slm-energy inspect BUNDLE --json`: a bundle's inferences with their energy per phase, under the
 * column names of `inferences.csv` (numbers, not cells), and the run's per-phase totals under the
 * names of `runs.csv`. Nothing is written: the bundle is read as `ingest` reads it.
 */
import { jToWh } from "../metrics/units.js";
import { co2eG } from "../metrics/co2e.js";
import type { GridIntensity } from "../catalog/grid-intensity.js";
import type { BundleResult, InferenceRow } from "../ingest/bundle/result.js";
import type { INFERENCE_COLUMNS, RUN_COLUMNS } from "./processed-tables.js";

type InferenceColumn = (typeof INFERENCE_COLUMNS)[number];
type RunColumn = (typeof RUN_COLUMNS)[number];

/** One inference as `inspect --json` shows it: the fields of its `inferences.csv` row that say what it cost. */
export type InspectedInference = {
  [
    K in
      | "index"
      | "label"
      | "prompt_tokens"
      | "gen_tokens"
      | "prefill_s"
      | "decode_s"
      | "latency_s"
      | "energy_gross_j"
      | "energy_net_j"
      | "energy_prefill_j"
      | "energy_decode_j"
      | "energy_prefill_net_j"
      | "energy_decode_net_j"
      | "j_per_prompt_token"
      | "j_per_gen_token"
      | "j_per_prompt_token_net"
      | "j_per_gen_token_net"
      | "mean_power_w"
      | "power_coverage" as Extract<K, InferenceColumn>
  ]: K extends "label" ? string | null : number | null;
};

/** The run's per-phase totals, named as in `runs.csv`. */
export type InspectedRun = {
  [
    K in
      | "run_id"
      | "inferences"
      | "inferences_with_energy"
      | "prompt_tokens"
      | "gen_tokens"
      | "energy_wh"
      | "energy_net_wh"
      | "energy_prefill_wh"
      | "energy_decode_wh"
      | "energy_prefill_net_wh"
      | "energy_decode_net_wh"
      | "j_per_prompt_token"
      | "j_per_gen_token"
      | "j_per_prompt_token_net"
      | "j_per_gen_token_net"
      | "tokens_per_j"
      | "tokens_per_j_net"
      | "idle_power_w" as Extract<K, RunColumn>
  ]: K extends "run_id" ? string : number | null;
};

/** The run's CO2e at a grid intensity (with `inspect --grid-intensity / --region`), named as in `runs.csv`. */
export interface InspectedCo2e {
  co2e_g_per_inference: number | null;
  co2e_g: number | null;
  grid_intensity_g_per_kwh: number;
  grid_region: string | null;
  grid_year: number | null;
  grid_source: string;
}

export interface BundleInspection {
  kind: "bundle";
  run_id: string;
  /** The formats of the bundle's raw files, by role (inference, power, idle, accuracy). */
  formats: Record<string, string[]>;
  run: InspectedRun & Partial<InspectedCo2e>;
  /** With a grid intensity, each record also has `co2e_g` (from its gross energy). */
  records: (InspectedInference & { co2e_g?: number | null })[];
}

const wh = (j: number | null): number | null => (j === null ? null : jToWh(j));
const at = (energyWh: number | null, g: GridIntensity): number | null =>
  energyWh === null ? null : co2eG(energyWh, g.intensityGCo2ePerKwh);

function inspectedInference(r: InferenceRow): InspectedInference {
  return {
    index: r.index,
    label: r.label,
    prompt_tokens: r.promptTokens,
    gen_tokens: r.genTokens,
    prefill_s: r.prefillS,
    decode_s: r.decodeS,
    latency_s: r.latencyS,
    energy_gross_j: r.energyGrossJ,
    energy_net_j: r.energyNetJ,
    energy_prefill_j: r.energyPrefillJ,
    energy_decode_j: r.energyDecodeJ,
    energy_prefill_net_j: r.energyPrefillNetJ,
    energy_decode_net_j: r.energyDecodeNetJ,
    j_per_prompt_token: r.jPerPromptToken,
    j_per_gen_token: r.jPerGenToken,
    j_per_prompt_token_net: r.jPerPromptTokenNet,
    j_per_gen_token_net: r.jPerGenTokenNet,
    mean_power_w: r.meanPowerW,
    power_coverage: r.powerCoverage,
  };
}

/** The run's CO2e cells at grid intensity `g` (gross energy). */
function inspectedCo2e(b: BundleResult, g: GridIntensity): InspectedCo2e {
  return {
    co2e_g_per_inference: at(b.run.gross.energyPerInferenceWh, g),
    co2e_g: at(b.run.gross.energyWh, g),
    grid_intensity_g_per_kwh: g.intensityGCo2ePerKwh,
    grid_region: g.region,
    grid_year: g.year,
    grid_source: g.sourceUrl ?? g.source,
  };
}

/** What `inspect --json` prints for a bundle; with `grid`, the run's and each inference's CO2e too. */
export function bundleInspection(b: BundleResult, grid: GridIntensity | null = null): BundleInspection {
  const { run } = b;
  const formats: Record<string, string[]> = {};
  for (const f of b.files) {
    const list = (formats[f.role] ??= []);
    if (f.format !== null && !list.includes(f.format)) list.push(f.format);
  }
  return {
    kind: "bundle",
    run_id: b.runId,
    formats,
    run: {
      run_id: run.runId,
      inferences: run.gross.inferences,
      inferences_with_energy: run.inferencesWithEnergy,
      prompt_tokens: run.promptTokens,
      gen_tokens: run.genTokens,
      energy_wh: run.gross.energyWh,
      energy_net_wh: run.net?.energyWh ?? null,
      energy_prefill_wh: wh(run.prefillEnergyJ),
      energy_decode_wh: wh(run.decodeEnergyJ),
      energy_prefill_net_wh: wh(run.prefillEnergyNetJ),
      energy_decode_net_wh: wh(run.decodeEnergyNetJ),
      j_per_prompt_token: run.jPerPromptToken,
      j_per_gen_token: run.jPerGenToken,
      j_per_prompt_token_net: run.jPerPromptTokenNet,
      j_per_gen_token_net: run.jPerGenTokenNet,
      tokens_per_j: run.tokensPerJ,
      tokens_per_j_net: run.tokensPerJNet,
      idle_power_w: run.idlePowerW,
      ...(grid === null ? {} : inspectedCo2e(b, grid)),
    },
    records: b.inferences.map((r) =>
      grid === null ? inspectedInference(r) : { ...inspectedInference(r), co2e_g: at(wh(r.energyGrossJ), grid) },
    ),
  };
}
