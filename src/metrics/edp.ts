import { requireNonNegative, requirePositive } from "./check.js";

/**
 * Energy-delay product: energy (J) × delay (s), in J·s. Lower is better.
 * What "energy" and "delay" are is the caller's choice; the paper's consolidated table uses the
 * benchmark's total energy and total time (see the audit), per-inference records use the
 * inference's own energy and latency.
 * @example edpJs(32652, 4060) // 1.3257e8
 */
export function edpJs(energyJ: number, delayS: number): number {
  requireNonNegative("energyJ", energyJ);
  requireNonNegative("delayS", delayS);
  return energyJ * delayS;
}

/**
 * Energy per billion parameters: energy (Wh) / model size (billions), in Wh/B.
 * @example whPerBillion(7.597, 1.1) // 6.906
 */
export function whPerBillion(energyWh: number, paramsB: number): number {
  requireNonNegative("energyWh", energyWh);
  requirePositive("paramsB", paramsB);
  return energyWh / paramsB;
}

/**
 * Energy-delay product per billion parameters: EDP (J·s) / model size (billions), in J·s/B.
 * @example edpPerBillion(1.2e8, 1.2) // 1e8
 */
export function edpPerBillion(edpJs: number, paramsB: number): number {
  requireNonNegative("edpJs", edpJs);
  requirePositive("paramsB", paramsB);
  return edpJs / paramsB;
}
