/**
 * What a simulated run is *supposed* to cost, per inference, before any sensor sees it: mean
 * latency split into prefill and decode, tokens, the device's power while it runs and while idle.
 *
 * Source: the paper's measured means (`data/paper/`): latency_s per inference, the run's energy
 * (energy_wh is the run total) over N inferences, and tokens per inference as the audit infers
 * them (tokens/s × latency, tokens/Wh × energy / N). The other source, the calibrated model, is in
 * `model-workload.ts`; this one stays for `data/raw`, which must not move when the model is
 * recalibrated.
 *
 * Stated assumptions (the paper does not print these):
 * - HellaSwag and Winogrande are scored by log-likelihood: all tokens are prompt tokens but one
 *   generated token per inference (llama.cpp decodes at least one); decode takes the time of
 *   about three prompt tokens, at most a fifth of the inference.
 * - MMLU is run by generation: 110 prompt tokens (a zero-shot MMLU prompt), prefilled at the
 *   rate the same model reaches on HellaSwag on the same platform, and 8 generated tokens taking
 *   the rest of the latency (prefill capped at half of it).
 * - Decode draws 20 % less active power (above idle) than prefill (memory-bound, cores stall),
 *   and the two together give the paper's mean power exactly.
 * - Idle power at the meter (W): Raspberry Pi 5 2.7, Jetson Nano 1.4 (POM_5V_IN), Jetson Orin
 *   Nano 3.0 (VDD_IN; the tegrastats example reads 2.96 W idle) — board-level figures from
 *   public measurements of these boards, capped at half the paper's lowest power on the device.
 */
import { runAudit } from "../audit/audit.js";
import { tokensPoint } from "../audit/tokens.js";
import type { DeviceSpec } from "../catalog/devices.js";
import { findPowerMode } from "../catalog/devices.js";
import { paperQuant, type ModelSpec } from "../catalog/models.js";
import {
  isBackend,
  isBenchmark,
  isDeviceId,
  isModelId,
  type Backend,
  type Benchmark,
  type DeviceId,
  type ModelId,
} from "../domain/ids.js";
import { usageError } from "../errors.js";
import { requestError } from "./errors.js";
import { averagePowerW, whPerSToW } from "../metrics/energy.js";
import { whToJ } from "../metrics/units.js";
import { inferenceCounts } from "../paper/inferences.js";
import type { PaperData } from "../paper/types.js";

export interface WorkloadTruth {
  device: DeviceId;
  backend: Backend;
  powerMode: string;
  model: ModelId;
  quantization: string;
  benchmark: Benchmark;
  /** Mean per inference. */
  promptTokens: number;
  genTokens: number;
  prefillS: number;
  decodeS: number;
  /** Mean power while prefilling / decoding, and of the idle board (W, at the meter). */
  prefillPowerW: number;
  decodePowerW: number;
  idlePowerW: number;
  /** How the figures were obtained, for truth.json. */
  source: string;
}

export const IDLE_POWER_W: Record<DeviceId, number> = {
  "raspberry-pi-5": 2.7,
  "jetson-nano": 1.4,
  "jetson-orin-nano": 3.0,
};
export const MMLU_PROMPT_TOKENS = 110;
export const MMLU_GEN_TOKENS = 8;

export interface SimWorkloadRequest {
  device: string;
  backend: string;
  powerMode?: string | null;
  model: string;
  quantization?: string | null;
  benchmark: string;
}

/** The request checked against what the paper measured: its devices, models, power modes and quantizations. */
function paperCellOf(device: DeviceSpec, model: ModelSpec, req: SimWorkloadRequest) {
  const { backend, benchmark } = req;
  if (!isDeviceId(device.id))
    throw requestError(
      "device",
      device.id,
      "the simulator's truth comes from the paper, which measured only raspberry-pi-5, jetson-nano, " +
        "jetson-orin-nano",
    );
  if (!isModelId(model.id))
    throw requestError(
      "model",
      model.id,
      "the simulator's truth comes from the paper, which measured only tinyllama-1.1b, llama-3.2-1b, " +
        "gemma-2-2b, phi-3-mini",
    );
  if (!isBackend(backend)) throw requestError("backend", backend, "use cpu or gpu");
  if (!isBenchmark(benchmark)) throw requestError("benchmark", benchmark, "use mmlu, hellaswag or winogrande");
  const paperMode = device.paperPowerMode?.powerMode ?? device.defaultPowerMode;
  const powerMode = findPowerMode(device, req.powerMode ?? paperMode).id;
  if (powerMode !== paperMode) {
    throw requestError(
      "powerMode",
      powerMode,
      `the paper measured ${device.id} in ${paperMode} only, and the simulator's truth comes from the ` +
        `paper's measurements`,
      `use power mode ${paperMode}, or take the truth from the model (the calibrated model predicts any power mode)`,
    );
  }
  const quant = paperQuant(model);
  if (req.quantization && req.quantization !== quant) {
    throw requestError(
      "quantization",
      req.quantization,
      `the paper ran ${model.id} as ${quant} (paper profile)`,
      `use ${quant}, or take the truth from the model (the calibrated model predicts any quantization)`,
    );
  }
  return { dev: device.id, mod: model.id, backend, benchmark, powerMode, quant };
}

interface TokenSplit {
  promptTokens: number;
  genTokens: number;
  prefillS: number;
  decodeS: number;
  how: string;
}

/**
 * Tokens and the prefill/decode split of one inference of `latencyS`: MMLU generates (its prompt at
 * the HellaSwag prefill rate), the other benchmarks score by log-likelihood (one generated token).
 */
function tokenSplit(
  benchmark: Benchmark,
  latencyS: number,
  tokensOf: (b: Benchmark) => number,
  hsLatency: () => number | null,
  where: string,
): TokenSplit {
  let promptTokens: number;
  let genTokens: number;
  let prefillS: number;
  let decodeS: number;
  let how: string;
  if (benchmark === "mmlu") {
    const hs = hsLatency();
    if (hs === null) throw usageError(`the paper has no HellaSwag latency for ${where}: no prefill rate for MMLU`);
    const prefillRate = tokensOf("hellaswag") / hs;
    promptTokens = MMLU_PROMPT_TOKENS;
    genTokens = MMLU_GEN_TOKENS;
    prefillS = Math.min(promptTokens / prefillRate, 0.5 * latencyS);
    decodeS = latencyS - prefillS;
    how =
      `MMLU by generation: ${MMLU_PROMPT_TOKENS} prompt tokens at the HellaSwag prefill rate ` +
      `(${prefillRate.toFixed(1)} tokens/s), ${MMLU_GEN_TOKENS} generated`;
  } else {
    const tokens = Math.max(2, Math.round(tokensOf(benchmark)));
    promptTokens = tokens - 1;
    genTokens = 1;
    decodeS = Math.min(0.2 * latencyS, (3 * latencyS) / tokens);
    prefillS = latencyS - decodeS;
    how = `${benchmark} by log-likelihood: ${tokens} tokens per inference (audit estimate), one generated`;
  }
  return { promptTokens, genTokens, prefillS, decodeS, how };
}

/** The paper's mean figures for one cell, as a workload truth (usage error for cells the paper lacks). */
export function paperWorkload(
  paper: PaperData,
  device: DeviceSpec,
  model: ModelSpec,
  req: SimWorkloadRequest,
): WorkloadTruth {
  const { dev, mod, backend, benchmark, powerMode, quant } = paperCellOf(device, model, req);
  const cell = (metric: string, b: Benchmark = benchmark): number | null =>
    paper.cells.find(
      (c) => c.device === dev && c.backend === backend && c.model === mod && c.benchmark === b && c.metric === metric,
    )?.value ?? null;
  const latencyS = cell("latency_s");
  const energyWh = cell("energy_wh");
  if (latencyS === null || energyWh === null) {
    throw usageError(
      `the paper has no latency/energy for ${dev}/${backend} ${mod} on ${benchmark}`,
      "the paper measured the GPU backend on jetson-orin-nano only",
    );
  }
  const counts = inferenceCounts(paper.cells);
  const n = counts[benchmark];
  const meanPowerW = averagePowerW(whToJ(energyWh), n * latencyS);
  const lowest = Math.min(
    ...paper.cells.filter((c) => c.device === dev && c.metric === "power_wh_per_s").map((c) => whPerSToW(c.value)),
  );
  const idlePowerW = Math.min(IDLE_POWER_W[dev], 0.5 * lowest);
  const audit = runAudit(paper);
  const tokensOf = (b: Benchmark): number => {
    const t = audit.summary.tokens.find((x) => x.model === mod && x.benchmark === b);
    if (!t) throw usageError(`the audit has no token estimate for ${mod} on ${b}`);
    return tokensPoint(t);
  };
  const { promptTokens, genTokens, prefillS, decodeS, how } = tokenSplit(
    benchmark,
    latencyS,
    tokensOf,
    () => cell("latency_s", "hellaswag"),
    `${dev}/${backend} ${mod}`,
  );
  const activeW = meanPowerW - idlePowerW;
  // Active power x while prefilling and 0.8x while decoding, so that the mean is the paper's.
  const x = (activeW * latencyS) / (prefillS + 0.8 * decodeS);
  const prefillPowerW = idlePowerW + x;
  const decodePowerW = idlePowerW + 0.8 * x;
  return {
    device: dev,
    backend,
    powerMode,
    model: mod,
    quantization: quant,
    benchmark,
    promptTokens,
    genTokens,
    prefillS,
    decodeS,
    prefillPowerW,
    decodePowerW,
    idlePowerW,
    source:
      `paper means for ${dev}/${backend} ${mod} ${benchmark}: latency ${latencyS} s, energy ${energyWh} Wh ` +
      `over N=${n} inferences ` +
      `(mean power ${meanPowerW.toFixed(3)} W); ${how}; idle ${idlePowerW} W (assumed)`,
  };
}
