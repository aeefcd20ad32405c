/**
 * `slm-energy inspect BUNDLE --json`: a bundle's inferences with their energy per phase, under the
 * column names of `inferences.csv` (numbers, not cells), and the run's per-phase totals under the
 * names of `runs.csv`. Nothing is written: the bundle is read as `ingest` reads it.
 */
import { jToWh } from "../metrics/units.js";
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

export interface BundleInspection {
  kind: "bundle";
  run_id: string;
  /** The formats of the bundle's raw files, by role (inference, power, idle, accuracy). */
  formats: Record<string, string[]>;
  run: InspectedRun;
  records: InspectedInference[];
}

const wh = (j: number | null): number | null => (j === null ? null : jToWh(j));

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

/** What `inspect --json` prints for a bundle. */
export function bundleInspection(b: BundleResult): BundleInspection {
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
    },
    records: b.inferences.map(inspectedInference),
  };
}
