/**
 * Seeded, deterministic pseudo-random numbers for synthetic weights (mulberry32: 32-bit state,
 * fast, good enough for weights nobody reads). Each tensor gets its own stream derived from the
 * file seed and the tensor name, so a tensor's values do not depend on the order of writing.
 *
 * Not stats/rng.ts (xoshiro128**, the project's seeded RNG for resampling) on purpose: a GGUF file
 * the project writes must stay byte-identical for a given seed, and another generator would give
 * other weights. The generator type is the one stats/rng.ts names.
 */
import type { Random } from "../stats/rng.js";

/** FNV-1a 32-bit hash of a string, mixed with a seed. */
export function hashSeed(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A generator of uniform numbers in [0, 1). */
export type Uniform = Random;

export function mulberry32(seed: number): Uniform {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fill `out` with uniform values of mean 0 and standard deviation `std`. */
export function fillUniform(out: Float32Array, rng: Uniform, std: number): void {
  const a = std * Math.sqrt(3);
  for (let i = 0; i < out.length; i++) out[i] = (2 * rng() - 1) * a;
}
