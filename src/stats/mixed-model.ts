import { CholeskyDecomposition, Matrix } from "ml-matrix";
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

function designOf(d: MixedModelData, columns: Map<string, number>, width: number): Matrix {
  const w = Matrix.zeros(d.y.length, width);
  d.y.forEach((_, i) => {
    (d.fixed[i] ?? []).forEach((x, j) => w.set(i, j, x));
    for (const g of d.groups) {
      const lv = g.levels[i];
      if (lv !== null && lv !== undefined) w.set(i, columns.get(key(g.name, lv)) as number, 1);
    }
  });
  return w;
}

/** Fits the model; deterministic (no random starts). */
export function fitMixedModel(d: MixedModelData, options: MixedModelOptions = {}): MixedModelFit {
  const n = d.y.length;
  if (n === 0) throw internalError("mixed model: no observations");
  const { p, columns, groupOf } = layoutOf(d);
  const width = p + groupOf.length;
  const W = designOf(d, columns, width);
  const y = Matrix.columnVector([...d.y]);
  const WtW = W.transpose().mmul(W);
  const Wty = W.transpose().mmul(y);
  const minVar = options.minVariance ?? 1e-4;
  const tau2: Record<string, number> = {};
  for (const g of d.groups) tau2[g.name] = options.fixedTau2?.[g.name] ?? 0.1;
  let sigma2 = 0.05;
  let theta = Matrix.zeros(width, 1);
  let cov = Matrix.zeros(width, width);
  const iterations = options.iterations ?? 300;
  let it = 0;
  for (; it < iterations; it++) {
    const A = WtW.clone();
    for (let j = 0; j < width; j++) {
      const prior = j < p ? FIXED_PRIOR_VAR : (tau2[groupOf[j - p] as string] as number);
      A.set(j, j, A.get(j, j) + sigma2 / prior);
    }
    const chol = new CholeskyDecomposition(A);
    if (!chol.isPositiveDefinite()) throw internalError("mixed model: normal equations not positive definite");
    theta = chol.solve(Wty);
    cov = chol.solve(Matrix.eye(width)).mul(sigma2);
    const resid = y.clone().sub(W.mmul(theta));
    const rss = resid.norm("frobenius") ** 2;
    let trace = 0;
    for (let a = 0; a < width; a++) for (let b = 0; b < width; b++) trace += cov.get(a, b) * WtW.get(b, a);
    const nextSigma2 = Math.max(minVar, (rss + trace) / n);
    let change = Math.abs(nextSigma2 - sigma2);
    sigma2 = nextSigma2;
    for (const g of d.groups) {
      if (options.fixedTau2?.[g.name] !== undefined) continue;
      let s = 0;
      let q = 0;
      groupOf.forEach((name, j) => {
        if (name !== g.name) return;
        s += theta.get(p + j, 0) ** 2 + cov.get(p + j, p + j);
        q++;
      });
      const next = q === 0 ? minVar : Math.max(minVar, s / q);
      change = Math.max(change, Math.abs(next - (tau2[g.name] as number)));
      tau2[g.name] = next;
    }
    if (change < 1e-7) break;
  }
  return summarise(d, { p, columns, groupOf }, theta, cov, tau2, sigma2, it);
}

function summarise(
  d: MixedModelData,
  lay: { p: number; columns: Map<string, number>; groupOf: string[] },
  theta: Matrix,
  cov: Matrix,
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
      const e = per[lv] ?? { mean: theta.get(j, 0), variance: cov.get(j, j), n: 0 };
      e.n++;
      per[lv] = e;
    }
    effects[g.name] = per;
  }
  return {
    beta: Array.from({ length: lay.p }, (_, j) => theta.get(j, 0)),
    effects,
    tau2,
    sigma2,
    iterations,
    layout: { p: lay.p, columns: lay.columns },
    theta: theta.to1DArray(),
    covariance: cov.to2DArray(),
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
