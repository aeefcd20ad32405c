import {
  decodeBytesPerToken,
  decodeFlopsPerToken,
  prefillBytes,
  prefillFlopsTotal,
  type ModelPhysics,
  type Scoring,
} from "./physics.js";
import type { Hardware } from "./hardware.js";
import type { PlatformParams } from "../io/calibration-schema.js";
import { jToWh } from "../metrics/units.js";

/**
 * The analytical model of one inference: prefill + decode on a roofline, plus a fixed overhead,
 * and energy as phase power × phase time.
 *
 *   prefill_s = max(FLOPs_prefill / (η_c · peak FLOP/s), bytes_prefill / (η_m · peak B/s))
 *   decode_s  = gen · max(FLOPs_token / (η_c · peak FLOP/s), bytes_token / (η_m · peak B/s))
 *   latency_s = overhead_s + prefill_s + decode_s
 *   energy_J  = P_prefill · prefill_s + P_decode · (decode_s + overhead_s)
 *
 * η_c, η_m ≤ 1 (no platform beats its spec sheet) and the phase powers are what calibration fits.
 */
/** The calibrated parameters of one platform (typed from their schema, io/calibration-schema.ts). */
export type { PlatformParams } from "../io/calibration-schema.js";

export interface Workload {
  /** Tokens evaluated in the prompt (prefill) per inference. */
  promptTokens: number;
  /** Tokens generated (decoded) per inference. */
  genTokens: number;
  /** Tokens already in the KV cache before the prompt (a reused prefix). */
  contextTokens: number;
  scoring: Scoring;
  /** llama.cpp's physical batch: the weights are streamed once per micro-batch of prefill. */
  ubatch: number;
}

export type Bound = "compute" | "memory" | "none";

export interface Timing {
  prefillS: number;
  decodeS: number;
  overheadS: number;
  latencyS: number;
  prefillBound: Bound;
  decodeBound: Bound;
}

export function predictTiming(phys: ModelPhysics, hw: Hardware, pp: PlatformParams, w: Workload): Timing {
  const flopsPerS = pp.etaCompute * hw.peakComputeGflops * 1e9;
  const bytesPerS = pp.etaMemory * hw.peakBandwidthGBps * 1e9;
  let prefillS = 0;
  let prefillBound: Bound = "none";
  if (w.promptTokens > 0) {
    const c = prefillFlopsTotal(phys, w.promptTokens, w.contextTokens, w.scoring) / flopsPerS;
    const m = prefillBytes(phys, w.promptTokens, w.contextTokens, w.ubatch) / bytesPerS;
    prefillS = Math.max(c, m);
    prefillBound = c >= m ? "compute" : "memory";
  }
  let decodeS = 0;
  let decodeBound: Bound = "none";
  if (w.genTokens > 0) {
    const meanContext = w.contextTokens + w.promptTokens + (w.genTokens - 1) / 2;
    const c = decodeFlopsPerToken(phys, meanContext) / flopsPerS;
    const m = decodeBytesPerToken(phys, meanContext) / bytesPerS;
    decodeS = w.genTokens * Math.max(c, m);
    decodeBound = c >= m ? "compute" : "memory";
  }
  return {
    prefillS,
    decodeS,
    overheadS: pp.overheadS,
    latencyS: pp.overheadS + prefillS + decodeS,
    prefillBound,
    decodeBound,
  };
}

export interface EnergyEstimate {
  energyJ: number;
  energyWh: number;
  /** Average power over the inference (W). */
  powerW: number;
}

export function predictEnergy(t: Timing, pp: PlatformParams): EnergyEstimate {
  const energyJ = pp.prefillPowerW * t.prefillS + pp.decodePowerW * (t.decodeS + t.overheadS);
  return { energyJ, energyWh: jToWh(energyJ), powerW: t.latencyS > 0 ? energyJ / t.latencyS : 0 };
}
