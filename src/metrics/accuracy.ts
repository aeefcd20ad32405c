import { requireNonNegative, requirePositive } from "./check.js";
import { inputError } from "../errors.js";
import { BENCHMARK_CHOICES, type Benchmark } from "../domain/ids.js";

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

/**
 * Accuracy of guessing at random (%): 100 / the benchmark's answer choices — 25 % on MMLU and
 * HellaSwag, 50 % on Winogrande. A model at or below it has learned nothing the benchmark measures.
 * @example chanceAccuracyPct("winogrande") // 50
 */
export const chanceAccuracyPct = (b: Benchmark): number => 100 / BENCHMARK_CHOICES[b];
