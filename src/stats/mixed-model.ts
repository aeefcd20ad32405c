import { internalError } from "../errors.js";

/**
 * A Gaussian linear mixed model with crossed random intercepts, fitted by EM:
 *
 *   y = X·β + Σ_g Z_g·u_g + ε,   u_g ~ N(0, τ_g² I),   ε ~ N(0, σ² I)
 *
 * Each random group (a board, a hardware class, a runtime …) shrinks its levels toward zero by
 * τ_g² / (τ_g² + σ²/n_level): partial pooling. A level seen in few rows stays near the group's
 * centre; a level never seen predicts the centre with the group's whole variance τ_g² added. The
 * fixed effects carry a weak N(0, FIXED_PRIOR_VAR) prior so a column the data barely touch stays
 * finite. EM (Dempster, Laird & Rubin 1977; the variance updates of Laird & Ware 1982) iterates the
 * posterior of (β, u) given the variances and the variances given that posterior.
 */
export interface MixedModelData {
  y: readonly number[];
  /** n × p fixed-effect design (an intercept column is the caller's choice). */
  fixed: readonly (readonly number[])[];
  /** One entry per random group: the level of each observation, or null where it has none. */
  groups: readonly { name: string; levels: readonly (string | null)[] }[];
}

export interface MixedModelOptions {
  iterations?: number;
  /** Variances never drop below this (ln² units): a group never collapses to exactly zero. */
  minVariance?: number;
  /** Fixed starting or held variances per group (not re-estimated). */
  fixedTau2?: Readonly<Record<string, number>>;
  /** Starting variances (a warm start from a related fit); default 0.1 each and σ² 0.05. */
  startTau2?: Readonly<Record<string, number>>;
  startSigma2?: number;
  /** Stop when no variance changes by more than this share in one iteration (default 1e-4). */
  tolerance?: number;
}

export interface MixedModelFit {
  beta: number[];
  /** Posterior mean and variance of each level's effect, per group. */
  effects: Record<string, Record<string, { mean: number; variance: number; n: number }>>;
  tau2: Record<string, number>;
  sigma2: number;
  iterations: number;
  /** Column layout and posterior covariance, for predictions. */
  layout: { p: number; columns: Map<string, number> };
  /** Posterior means of every column (fixed then random) and their covariance. */
  theta: number[];
  covariance: number[][];
}

const FIXED_PRIOR_VAR = 100;
const key = (group: string, level: string) => `${group}\u0000${level}`;

function layoutOf(d: MixedModelData): { p: number; columns: Map<string, number>; groupOf: string[] } {
  const p = d.fixed[0]?.length ?? 0;
  const columns = new Map<string, number>();
  const groupOf: string[] = [];
  for (const g of d.groups)
    for (const lv of g.levels) {
      if (lv === null || columns.has(key(g.name, lv))) continue;
      columns.set(key(g.name, lv), p + groupOf.length);
      groupOf.push(g.name);
    }
  return { p, columns, groupOf };
}

/** In-place Cholesky of a symmetric positive-definite n×n matrix (row-major); false if not SPD. */
function cholesky(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j] as number;
    for (let k = 0; k < j; k++) d -= (a[j * n + k] as number) ** 2;
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    a[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j] as number;
      for (let k = 0; k < j; k++) s -= (a[i * n + k] as number) * (a[j * n + k] as number);
      a[i * n + j] = s / ljj;
    }
  }
  return true;
}

/** The inverse of A from its Cholesky factor L (lower triangle of `l`): (L Lᵀ)⁻¹ = L⁻ᵀ L⁻¹. */
function inverseFromCholesky(l: Float64Array, n: number): Float64Array {
  const linv = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    linv[j * n + j] = 1 / (l[j * n + j] as number);
    for (let i = j + 1; i < n; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s += (l[i * n + k] as number) * (linv[k * n + j] as number);
      linv[i * n + j] = -s / (l[i * n + i] as number);
    }
  }
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += (linv[k * n + i] as number) * (linv[k * n + j] as number);
      inv[i * n + j] = s;
      inv[j * n + i] = s;
    }
  return inv;
}

/** The normal equations' pieces: WᵀW (row-major), Wᵀy, yᵀy, from a sparse design. */
function normalEquations(d: MixedModelData, columns: Map<string, number>, width: number) {
  const wtw = new Float64Array(width * width);
  const wty = new Float64Array(width);
  let yty = 0;
  d.y.forEach((y, i) => {
    const row: [number, number][] = (d.fixed[i] ?? []).map((x, j) => [j, x]);
    for (const g of d.groups) {
      const lv = g.levels[i];
      if (lv !== null && lv !== undefined) row.push([columns.get(key(g.name, lv)) as number, 1]);
    }
    for (const [a, va] of row) {
      wty[a] = (wty[a] as number) + va * y;
      for (const [b, vb] of row) wtw[a * width + b] = (wtw[a * width + b] as number) + va * vb;
    }
    yty += y * y;
  });
  return { wtw, wty, yty };
}

/** Fits the model; deterministic (no random starts). */
export function fitMixedModel(d: MixedModelData, options: MixedModelOptions = {}): MixedModelFit {
  const n = d.y.length;
  if (n === 0) throw internalError("mixed model: no observations");
  const { p, columns, groupOf } = layoutOf(d);
  const w = p + groupOf.length;
  const { wtw, wty, yty } = normalEquations(d, columns, w);
  const minVar = options.minVariance ?? 1e-4;
  const tau2: Record<string, number> = {};
  for (const g of d.groups) tau2[g.name] = options.fixedTau2?.[g.name] ?? options.startTau2?.[g.name] ?? 0.1;
  let sigma2 = options.startSigma2 ?? 0.05;
  let theta = new Float64Array(w);
  let cov = new Float64Array(w * w);
  const iterations = options.iterations ?? 200;
  let it = 0;
  for (; it < iterations; it++) {
    const a = Float64Array.from(wtw);
    for (let j = 0; j < w; j++) {
      const prior = j < p ? FIXED_PRIOR_VAR : (tau2[groupOf[j - p] as string] as number);
      a[j * w + j] = (a[j * w + j] as number) + sigma2 / prior;
    }
    if (!cholesky(a, w)) throw internalError("mixed model: normal equations not positive definite");
    const ainv = inverseFromCholesky(a, w);
    theta = new Float64Array(w);
    for (let i = 0; i < w; i++) {
      let s = 0;
      for (let k = 0; k < w; k++) s += (ainv[i * w + k] as number) * (wty[k] as number);
      theta[i] = s;
    }
    cov = ainv.map((x) => x * sigma2);
    // ‖y − Wθ‖² = yᵀy − 2θᵀWᵀy + θᵀWᵀWθ, and tr(C·WᵀW).
    let rss = yty;
    let trace = 0;
    for (let i = 0; i < w; i++) {
      rss -= 2 * (theta[i] as number) * (wty[i] as number);
      for (let k = 0; k < w; k++) {
        const m = wtw[i * w + k] as number;
        if (m === 0) continue;
        rss += (theta[i] as number) * m * (theta[k] as number);
        trace += (cov[i * w + k] as number) * m;
      }
    }
    const nextSigma2 = Math.max(minVar, (rss + trace) / n);
    let change = Math.abs(nextSigma2 - sigma2) / sigma2;
    sigma2 = nextSigma2;
    for (const g of d.groups) {
      if (options.fixedTau2?.[g.name] !== undefined) continue;
      let s = 0;
      let q = 0;
      groupOf.forEach((name, j) => {
        if (name !== g.name) return;
        s += (theta[p + j] as number) ** 2 + (cov[(p + j) * w + p + j] as number);
        q++;
      });
      const prev = tau2[g.name] as number;
      const next = q === 0 ? minVar : Math.max(minVar, s / q);
      change = Math.max(change, Math.abs(next - prev) / Math.max(prev, 10 * minVar));
      tau2[g.name] = next;
    }
    if (change < (options.tolerance ?? 1e-4)) break;
  }
  const square = (m: Float64Array) => Array.from({ length: w }, (_, i) => Array.from(m.subarray(i * w, (i + 1) * w)));
  return summarise(d, { p, columns, groupOf }, Array.from(theta), square(cov), tau2, sigma2, it);
}

function summarise(
  d: MixedModelData,
  lay: { p: number; columns: Map<string, number>; groupOf: string[] },
  theta: number[],
  cov: number[][],
  tau2: Record<string, number>,
  sigma2: number,
  iterations: number,
): MixedModelFit {
  const effects: MixedModelFit["effects"] = {};
  for (const g of d.groups) {
    const per: Record<string, { mean: number; variance: number; n: number }> = {};
    for (const lv of g.levels) {
      if (lv === null) continue;
      const j = lay.columns.get(key(g.name, lv)) as number;
      const e = per[lv] ?? { mean: theta[j] as number, variance: cov[j]?.[j] as number, n: 0 };
      e.n++;
      per[lv] = e;
    }
    effects[g.name] = per;
  }
  return {
    beta: theta.slice(0, lay.p),
    effects,
    tau2,
    sigma2,
    iterations,
    layout: { p: lay.p, columns: lay.columns },
    theta,
    covariance: cov,
  };
}

export interface MixedPrediction {
  mean: number;
  /** Variance of a new observation: parameter uncertainty + unseen levels' τ² + σ². */
  variance: number;
  /** Groups whose level the fit has not seen (their whole τ² is in the variance). */
  unseen: string[];
}

/** Predicts a new observation with fixed covariates `x` and a level (or null) per group. */
export function predictMixed(
  fit: MixedModelFit,
  x: readonly number[],
  levels: Readonly<Record<string, string | null>>,
): MixedPrediction {
  const idx: [number, number][] = x.map((v, j) => [j, v]);
  const unseen: string[] = [];
  let extra = 0;
  for (const [group, lv] of Object.entries(levels)) {
    if (lv === null || fit.tau2[group] === undefined) continue;
    const j = fit.layout.columns.get(key(group, lv));
    if (j === undefined) {
      unseen.push(group);
      extra += fit.tau2[group];
    } else idx.push([j, 1]);
  }
  let mean = 0;
  for (const [j, v] of idx) mean += (fit.theta[j] ?? 0) * v;
  let paramVar = 0;
  for (const [a, va] of idx) for (const [b, vb] of idx) paramVar += va * vb * (fit.covariance[a]?.[b] ?? 0);
  return { mean, variance: paramVar + extra + fit.sigma2, unseen };
}
