import { requireFinite, requireNonNegative, requirePositive } from "./check.js";
import { SECONDS_PER_HOUR } from "./units.js";

/**
 * Energy per inference: total energy / number of inferences (Wh).
 * @example energyPerInferenceWh(1.71, 1000) // 0.00171
 */
export function energyPerInferenceWh(totalEnergyWh: number, inferences: number): number {
  requireNonNegative("totalEnergyWh", totalEnergyWh);
  requirePositive("inferences", inferences);
  return totalEnergyWh / inferences;
}

/**
 * Items (tokens, or inferences for MMLU) per watt-hour: items / energy.
 * @example perWh(1000, 9.07) // 110.25
 */
export function perWh(items: number, energyWh: number): number {
  requireNonNegative("items", items);
  requirePositive("energyWh", energyWh);
  return items / energyWh;
}

/**
 * Average power in watts: energy (J) / time (s).
 * @example averagePowerW(32652, 4060) // 8.04
 */
export function averagePowerW(energyJ: number, timeS: number): number {
  requireNonNegative("energyJ", energyJ);
  requirePositive("timeS", timeS);
  return energyJ / timeS;
}

/**
 * The paper's "Energy/Sec (W)" column: energy in Wh divided by time in s, so its unit is really
 * Wh/s (= W / 3600). Kept as the paper defines it so its table can be reproduced.
 * @example powerWhPerS(9.07, 4060) // 0.002234
 */
export function powerWhPerS(energyWh: number, timeS: number): number {
  requireNonNegative("energyWh", energyWh);
  requirePositive("timeS", timeS);
  return energyWh / timeS;
}

/** Wh/s (the paper's Energy/Sec) to watts: × 3600. */
export const whPerSToW = (powerWhPerS: number): number => powerWhPerS * SECONDS_PER_HOUR;

/**
 * Energy per token (J/token): a phase's energy / the tokens it handled (prefill energy per prompt
 * token, decode energy per generated token). The energy may be net of idle, and so negative when
 * the idle baseline is above the phase's power; it must be finite.
 * @example joulesPerToken(12.8, 512) // 0.025
 */
export function joulesPerToken(energyJ: number, tokens: number): number {
  requireFinite("energyJ", energyJ);
  requirePositive("tokens", tokens);
  return energyJ / tokens;
}

/**
 * Tokens per joule: tokens / energy (J), the reciprocal of `joulesPerToken` over a whole run.
 * @example tokensPerJ(1000, 250) // 4
 */
export function tokensPerJ(tokens: number, energyJ: number): number {
  requireNonNegative("tokens", tokens);
  requirePositive("energyJ", energyJ);
  return tokens / energyJ;
}
