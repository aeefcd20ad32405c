/**
 * The project's one seeded random number generator: deterministic uniform streams and, on top of
 * any of them, the draws the simulator needs (normal by Box–Muller, lognormal factors, integers).
 * The same seed gives the same stream on every machine, so bootstrap intervals and simulated
 * bundles are reproducible to the last digit.
 *
 * Two uniform algorithms, kept because committed outputs depend on their exact sequences:
 * - `seededRandom(seed)`: xoshiro128** seeded through splitmix32 (Blackman & Vigna, "Scrambled
 *   linear PRNGs", 2018) — the bootstrap's resampling;
 * - `streamRandom(seed, name)`: mulberry32 seeded by an FNV-1a hash of the seed and a stream name,
 *   so every part of a simulation (timings, meter noise, damage) draws from its own stream.
 */
export type Random = () => number;

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A generator of uniform numbers in [0, 1) from a 32-bit seed. @example seededRandom(1)() // same every run */
export function seededRandom(seed: number): Random {
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const sm = splitmix32(seed);
  let a = sm();
  let b = sm();
  let c = sm();
  let d = sm();
  return () => {
    const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c = (c ^ a) >>> 0;
    d = (d ^ b) >>> 0;
    b = (b ^ c) >>> 0;
    a = (a ^ d) >>> 0;
    c = (c ^ t) >>> 0;
    d = rotl(d, 11);
    return result / 4294967296;
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** A uniform whole number in [0, n). */
export function randomIndex(random: Random, n: number): number {
  return Math.min(n - 1, Math.floor(random() * n));
}

/** FNV-1a 32-bit hash of a string, mixed with a seed. */
export function hashSeed(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** mulberry32: 32-bit state, uniform numbers in [0, 1). */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A named uniform stream derived from `seed`: adding draws to one stream never shifts another. */
export function streamRandom(seed: number, name: string): Random {
  return mulberry32(hashSeed(seed, name));
}

/** Draws of several distributions from one uniform stream. */
export class Rng {
  private spare: number | null = null;

  constructor(private readonly u: Random) {}

  /** The named stream `name` of `seed` (see `streamRandom`). */
  static stream(seed: number, name: string): Rng {
    return new Rng(streamRandom(seed, name));
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
