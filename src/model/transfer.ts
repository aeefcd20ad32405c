import { inputError } from "../errors.js";
import type { Hardware } from "./hardware.js";
import type { PlatformParams } from "./roofline.js";

/**
 * Parameters for a platform the calibration has not seen, borrowed from calibrated ones, and why.
 *
 * Efficiencies (η_c, η_m, overhead):
 *   - same board and backend in another power mode: as calibrated (same silicon and runtime);
 *   - else a calibrated platform with the same compute unit (CPU core or GPU architecture);
 *   - else the geometric mean over calibrated platforms of the same backend, or of all platforms
 *     when none shares the backend.
 * Phase powers: the geometric mean of the source platforms' calibrated powers, scaled by
 * (spec power ratio)^β, where β is the slope of ln(calibrated power) on ln(spec power) across all
 * calibrated platforms (clamped to [0, 1]; 1 when the specs do not vary). A mode's spec power is a
 * budget, not a draw: on the study's boards the draw grows much more slowly than the budget.
 */
export interface Transfer {
  parameter: string;
  from: string;
  reason: string;
}

export interface CalibratedPlatform {
  hardware: Hardware;
  params: PlatformParams;
}

export interface TransferPlan {
  /** Calibrated platforms the efficiencies come from (geometric mean); empty when calibrated. */
  efficiencySources: string[];
  /** Calibrated platforms the phase powers come from. */
  powerSources: string[];
  /** Elasticity of calibrated power to spec power. */
  powerElasticity: number;
  /**
   * Spread (sd of ln) of efficiencies and of spec-scaled powers across the calibrated platforms
   * of the pool: how far a borrowed value may sit from this board's own. Zero within one board.
   */
  spreadLog: { efficiency: number; power: number };
  transfers: Transfer[];
}

const sdLog = (xs: number[]): number => {
  if (xs.length < 2) return 0;
  const l = xs.map(Math.log);
  const m = l.reduce((a, b) => a + b, 0) / l.length;
  return Math.sqrt(l.reduce((a, b) => a + (b - m) ** 2, 0) / (l.length - 1));
};

/** Default spread when a pool has a single platform (a different board, same compute unit). */
export const SINGLE_SOURCE_SPREAD_LOG = 0.3;

const gmean = (xs: number[]): number => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);

/** Slope of ln(mean phase power) on ln(spec power) over calibrated platforms, clamped to [0, 1]. */
export function powerElasticity(calibrated: readonly CalibratedPlatform[]): number {
  const pts = calibrated.map(
    (c) =>
      [Math.log(c.hardware.specPowerW), Math.log(Math.sqrt(c.params.prefillPowerW * c.params.decodePowerW))] as const,
  );
  const mx = pts.reduce((s, p) => s + p[0], 0) / pts.length;
  const my = pts.reduce((s, p) => s + p[1], 0) / pts.length;
  const sxx = pts.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
  if (pts.length < 2 || sxx < 1e-9) return 1;
  const slope = pts.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0) / sxx;
  return Math.min(1, Math.max(0, slope));
}

/** Another power mode of a calibrated board and backend: its efficiencies as calibrated, its powers scaled. */
function sameBoardPlan(hw: Hardware, sameBoard: CalibratedPlatform, beta: number, powerNote: string): TransferPlan {
  const mode = sameBoard.hardware.powerMode;
  const why = `same board and backend; power mode ${mode} is calibrated, ${hw.powerMode} is not`;
  return {
    efficiencySources: [sameBoard.hardware.id],
    powerSources: [sameBoard.hardware.id],
    powerElasticity: beta,
    spreadLog: { efficiency: 0, power: 0 },
    transfers: [
      {
        parameter: "eta_compute, eta_memory, overhead_s",
        from: sameBoard.hardware.id,
        reason:
          `${why}: efficiencies belong to the silicon and runtime; ` +
          "peaks come from this mode's clocks and bandwidth",
      },
      { parameter: "prefill_power_w, decode_power_w", from: sameBoard.hardware.id, reason: `${why}: ${powerNote}` },
    ],
  };
}

/** How to obtain parameters for `hw` from the calibrated platforms (a plan reusable per replicate). */
export function planTransfer(hw: Hardware, calibrated: readonly CalibratedPlatform[]): TransferPlan {
  if (calibrated.some((c) => c.hardware.id === hw.id))
    return {
      efficiencySources: [],
      powerSources: [],
      powerElasticity: 1,
      spreadLog: { efficiency: 0, power: 0 },
      transfers: [],
    };
  if (calibrated.length === 0)
    throw inputError(`the calibration has no platform to borrow parameters from for ${hw.id}`, {
      hint: "calibrate on data that includes at least one measured platform, or predict for a calibrated device",
    });
  const beta = powerElasticity(calibrated);
  const powerNote =
    `scaled by (spec power ratio)^${beta.toFixed(2)}, ` +
    "the elasticity of calibrated power to spec power across calibrated platforms";
  const sameBoard = calibrated.find((c) => c.hardware.device === hw.device && c.hardware.backend === hw.backend);
  if (sameBoard) return sameBoardPlan(hw, sameBoard, beta, powerNote);
  const sameUnit = calibrated.filter((c) => c.hardware.computeUnit === hw.computeUnit);
  const sameBackend = calibrated.filter((c) => c.hardware.backend === hw.backend);
  const effPool = sameUnit.length ? sameUnit : sameBackend.length ? sameBackend : [...calibrated];
  const effWhy = sameUnit.length
    ? `same compute unit (${hw.computeUnit})`
    : sameBackend.length
      ? `no calibrated platform with ${hw.computeUnit}; ` +
        `geometric mean of the calibrated ${hw.backend.toUpperCase()} platforms`
      : `no calibrated ${hw.backend.toUpperCase()} platform; ` +
        "geometric mean of all calibrated platforms (a weak guess)";
  const powerPool = sameBackend.length ? sameBackend : [...calibrated];
  const powersOf = sameBackend.length
    ? `the calibrated ${hw.backend.toUpperCase()} platforms'`
    : "all calibrated platforms'";
  const spreadPool = sameBackend.length >= 2 ? sameBackend : [...calibrated];
  const effSpread =
    spreadPool.length >= 2 ? sdLog(spreadPool.map((c) => c.params.etaCompute)) : SINGLE_SOURCE_SPREAD_LOG;
  const powSpread =
    spreadPool.length >= 2
      ? sdLog(
          spreadPool.map(
            (c) => Math.sqrt(c.params.prefillPowerW * c.params.decodePowerW) / Math.pow(c.hardware.specPowerW, beta),
          ),
        )
      : SINGLE_SOURCE_SPREAD_LOG;
  return {
    efficiencySources: effPool.map((c) => c.hardware.id),
    powerSources: powerPool.map((c) => c.hardware.id),
    powerElasticity: beta,
    spreadLog: { efficiency: Math.max(effSpread, sameUnit.length ? 0 : 0.1), power: powSpread },
    transfers: [
      {
        parameter: "eta_compute, eta_memory, overhead_s",
        from: effPool.map((c) => c.hardware.id).join(", "),
        reason: `${hw.id} is not calibrated: ${effWhy}`,
      },
      {
        parameter: "prefill_power_w, decode_power_w",
        from: powerPool.map((c) => c.hardware.id).join(", "),
        reason: `geometric mean of ${powersOf} phase powers, ${powerNote} ` + `(this mode: ${hw.specPowerW} W)`,
      },
    ],
  };
}

/** Apply a plan to one set of calibrated parameters (the estimate or a bootstrap replicate). */
export function applyTransfer(
  hw: Hardware,
  plan: TransferPlan,
  params: (id: string) => PlatformParams,
  hardware: (id: string) => Hardware,
  /** Standard-normal draws that place this board within the pool's spread (0: the pool's centre). */
  z: { efficiency: number; power: number } = { efficiency: 0, power: 0 },
): PlatformParams {
  if (plan.efficiencySources.length === 0) return { ...params(hw.id) };
  const ke = Math.exp(z.efficiency * plan.spreadLog.efficiency);
  const kp = Math.exp(z.power * plan.spreadLog.power);
  const eff = plan.efficiencySources.map(params);
  const pow = plan.powerSources.map(params);
  const specScale = Math.pow(
    hw.specPowerW / gmean(plan.powerSources.map((id) => hardware(id).specPowerW)),
    plan.powerElasticity,
  );
  return {
    etaCompute: Math.min(1, gmean(eff.map((p) => p.etaCompute)) * ke),
    etaMemory: Math.min(1, gmean(eff.map((p) => p.etaMemory)) * ke),
    overheadS: gmean(eff.map((p) => p.overheadS)),
    prefillPowerW: gmean(pow.map((p) => p.prefillPowerW)) * specScale * kp,
    decodePowerW: gmean(pow.map((p) => p.decodePowerW)) * specScale * kp,
  };
}
