import { requireNonNegative, requirePositive } from "./check.js";
import { inputError } from "../errors.js";

/**
 * Accuracy in percent: correct predictions over all predictions × 100.
 * (The paper's slide prints the fraction upside down, "Total / Correct"; the values it reports
 * are correct / total.)
 *
 * @example accuracyPct(197, 500) // 39.4
 */
export function accuracyPct(correct: number, total: number): number {
  requireNonNegative("correct", correct);
  requirePositive("total", total);
  if (correct > total) throw inputError(`correct (${correct}) exceeds total (${total})`, { field: "correct" });
  return (correct / total) * 100;
}
