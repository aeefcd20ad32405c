/**
 * Seeded numbers for synthetic weights. Each tensor gets its own stream (mulberry32 seeded by an
 * FNV-1a hash of the file seed and the tensor name, from stats/rng.ts, the project's one seeded
 * RNG), so a tensor's values do not depend on the order of writing and a GGUF file the project
 * writes is byte-identical for a given seed.
 */
import { hashSeed, mulberry32, type Random } from "../stats/rng.js";

export { hashSeed, mulberry32 };

/** A generator of uniform numbers in [0, 1). */
export type Uniform = Random;

/** Fill `out` with uniform values of mean 0 and standard deviation `std`. */
export function fillUniform(out: Float32Array, rng: Uniform, std: number): void {
  const a = std * Math.sqrt(3);
  for (let i = 0; i < out.length; i++) out[i] = (2 * rng() - 1) * a;
}
