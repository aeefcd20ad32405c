import { z } from "zod";
import { readJsonFile } from "./files.js";

/**
 * `truth.json` of a simulated bundle (schema `slm-energy/sim-truth@1`), as far as a reader of the
 * truth relies on it: what was asked for, each inference's true energy and its bound, and the run
 * totals. Other fields (the workload, the sensor model, the damage) pass through unchecked.
 */
const truthInference = z
  .object({
    index: z.number().int().nonnegative(),
    energyJ: z.number().nonnegative(),
    repetitions: z.number().int().positive(),
    energyToleranceJ: z.number().nonnegative(),
  })
  .loose();

export const TruthFileSchema = z
  .object({
    schema: z.literal("slm-energy/sim-truth@1", {
      error: 'expected "slm-energy/sim-truth@1"',
    }),
    simulated: z.literal(true),
    request: z.object({ sampleHz: z.number().positive() }).loose(),
    meter: z.object({ id: z.string().min(1) }).loose(),
    runtime: z.string().min(1),
    inferences: z.array(truthInference),
    totals: z
      .object({
        latency_s: z.number().nonnegative(),
        tokens: z.number().int().nonnegative(),
        span_energy_j: z.number().nonnegative(),
      })
      .loose(),
  })
  .loose();

/** The part of a simulated run's truth that readers of `truth.json` use. */
export type TruthFile = z.output<typeof TruthFileSchema>;

/** Reads and validates a bundle's `truth.json`; every bad field is reported at once, with its line. */
export function readTruthFile(path: string): TruthFile {
  return readJsonFile(TruthFileSchema, path, {
    hint: "truth.json is written by `slm-energy simulate`; regenerate the bundle rather than editing it",
  });
}
