/**
 * Seeded randomness for the simulator. Every stream is derived from the run's seed and a name
 * (`hashSeed`), so adding a random draw to one part of the simulation (the meter's noise) never
 * shifts the draws of another (the inference timings): a bundle's truth depends only on the seed
 * and the workload, whatever meter writes it.
 */
import { hashSeed, mulberry32, type Uniform } from "../gguf/rng.js";

export class Rng {
  private spare: number | null = null;
  private readonly u: Uniform;

  constructor(seed: number, stream: string) {
    this.u = mulberry32(hashSeed(seed, stream));
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.u();
  }

  /** Uniform in [lo, hi). */
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.u();
  }

  /** Standard normal (Box–Muller, the second draw kept for the next call). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let a = this.u();
    while (a <= 1e-300) a = this.u();
    const b = this.u();
    const r = Math.sqrt(-2 * Math.log(a));
    this.spare = r * Math.sin(2 * Math.PI * b);
    return r * Math.cos(2 * Math.PI * b);
  }

  /** Lognormal factor with median 1 and log-sd `sd` (a relative jitter of about ±sd). */
  factor(sd: number): number {
    return Math.exp(sd * this.normal());
  }

  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.u() * (hi - lo + 1));
  }
}
