/**
 * Bounded Levenberg–Marquardt: minimise ½‖r(x)‖² with lo ≤ x ≤ hi, by a forward-difference
 * Jacobian and steps projected onto the box. Deterministic; small problems only (tens of
 * parameters, hundreds of residuals).
 */
export interface LmOptions {
  maxIterations?: number;
  /** Stop when the relative decrease of the cost falls below this. */
  tolerance?: number;
}

export interface LmResult {
  x: number[];
  cost: number;
  iterations: number;
  converged: boolean;
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** Forward-difference Jacobian at x, given r = residuals(x) (steps inward at the upper bound). */
function jacobianAt(
  residuals: (x: readonly number[]) => number[],
  x: readonly number[],
  r: readonly number[],
  hi: readonly number[],
): number[][] {
  const n = x.length;
  const m = r.length;
  const J: number[][] = Array.from({ length: m }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    const xj = x[j] as number;
    let h = 1e-6 * Math.max(1, Math.abs(xj));
    if (xj + h > (hi[j] as number)) h = -h;
    const xp = x.slice();
    xp[j] = xj + h;
    const rp = residuals(xp);
    for (let i = 0; i < m; i++) (J[i] as number[])[j] = ((rp[i] as number) - (r[i] as number)) / h;
  }
  return J;
}

/** Normal equations JᵀJ and Jᵀr. */
function normalEquations(J: readonly number[][], r: readonly number[], n: number): { A: number[][]; g: number[] } {
  const A: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const g = new Array<number>(n).fill(0);
  for (let i = 0; i < r.length; i++) {
    const Ji = J[i] as number[];
    const ri = r[i] as number;
    for (let a = 0; a < n; a++) {
      const Jia = Ji[a] as number;
      if (Jia === 0) continue;
      g[a] = (g[a] as number) + Jia * ri;
      const Aa = A[a] as number[];
      for (let b = a; b < n; b++) Aa[b] = (Aa[b] as number) + Jia * (Ji[b] as number);
    }
  }
  for (let a = 0; a < n; a++) for (let b = 0; b < a; b++) (A[a] as number[])[b] = (A[b] as number[])[a] as number;
  return { A, g };
}

/** Active set: parameters held at a bound by a gradient pushing them outward do not move. */
function holdAtBounds(A: number[][], g: number[], x: readonly number[], lo: readonly number[], hi: readonly number[]) {
  const n = x.length;
  const free = x.map((v, j) => {
    const gj = g[j] as number;
    const atLo = v <= (lo[j] as number) + 1e-12 && gj > 0;
    const atHi = v >= (hi[j] as number) - 1e-12 && gj < 0;
    return !(atLo || atHi);
  });
  for (let a = 0; a < n; a++) {
    if (free[a]) continue;
    g[a] = 0;
    for (let b = 0; b < n; b++) {
      (A[a] as number[])[b] = a === b ? 1 : 0;
      (A[b] as number[])[a] = a === b ? 1 : 0;
    }
  }
}

export function levenbergMarquardt(
  residuals: (x: readonly number[]) => number[],
  x0: readonly number[],
  lo: readonly number[],
  hi: readonly number[],
  options: LmOptions = {},
): LmResult {
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-9;
  const n = x0.length;
  let x = x0.map((v, i) => clamp(v, lo[i] as number, hi[i] as number));
  let r = residuals(x);
  let cost = half(r);
  let lambda = 1e-3;
  let converged = false;
  let smallSteps = 0;
  let it = 0;
  for (; it < maxIterations; it++) {
    const { A, g } = normalEquations(jacobianAt(residuals, x, r, hi), r, n);
    holdAtBounds(A, g, x, lo, hi);
    let improved = false;
    for (let tries = 0; tries < 16; tries++) {
      const M = A.map((row, a) => row.map((v, b) => (a === b ? v + lambda * (v + 1e-9) : v)));
      const step = solve(
        M,
        g.map((v) => -v),
      );
      if (!step) {
        lambda *= 10;
        continue;
      }
      const xn = x.map((v, i) => clamp(v + (step[i] as number), lo[i] as number, hi[i] as number));
      const rn = residuals(xn);
      const cn = half(rn);
      if (Number.isFinite(cn) && cn < cost) {
        const rel = (cost - cn) / Math.max(cost, 1e-300);
        x = xn;
        r = rn;
        cost = cn;
        lambda = Math.max(lambda / 3, 1e-12);
        improved = true;
        // Stop after three successive negligible decreases (one can be a damped step).
        smallSteps = rel < tolerance ? smallSteps + 1 : 0;
        if (smallSteps >= 3) converged = true;
        break;
      }
      lambda *= 10;
    }
    if (!improved) {
      converged = true;
      break;
    }
    if (converged) break;
  }
  return { x, cost, iterations: it, converged };
}

function half(r: readonly number[]): number {
  let s = 0;
  for (const v of r) s += v * v;
  return 0.5 * s;
}

/** Gaussian elimination with partial pivoting; null when singular. */
function solve(A: number[][], b: number[]): number[] | null {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i] as number]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let i = c + 1; i < n; i++)
      if (Math.abs((M[i] as number[])[c] as number) > Math.abs((M[p] as number[])[c] as number)) p = i;
    const piv = (M[p] as number[])[c] as number;
    if (!Number.isFinite(piv) || Math.abs(piv) < 1e-300) return null;
    [M[c], M[p]] = [M[p] as number[], M[c] as number[]];
    const Mc = M[c] as number[];
    for (let i = c + 1; i < n; i++) {
      const Mi = M[i] as number[];
      const f = (Mi[c] as number) / (Mc[c] as number);
      if (f === 0) continue;
      for (let k = c; k <= n; k++) Mi[k] = (Mi[k] as number) - f * (Mc[k] as number);
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    const Mi = M[i] as number[];
    let s = Mi[n] as number;
    for (let k = i + 1; k < n; k++) s -= (Mi[k] as number) * (x[k] as number);
    x[i] = s / (Mi[i] as number);
  }
  return x.every(Number.isFinite) ? x : null;
}

/** Forward-difference Jacobian of `f` at `x` (rows: residuals, columns: parameters). */
export function jacobian(
  f: (x: readonly number[]) => number[],
  x: readonly number[],
  hi?: readonly number[],
): number[][] {
  const r0 = f(x);
  const J = r0.map(() => new Array<number>(x.length).fill(0));
  for (let j = 0; j < x.length; j++) {
    const xj = x[j] as number;
    let h = 1e-6 * Math.max(1, Math.abs(xj));
    if (hi && xj + h > (hi[j] as number)) h = -h;
    const xp = x.slice();
    xp[j] = xj + h;
    const rp = f(xp);
    for (let i = 0; i < r0.length; i++) (J[i] as number[])[j] = ((rp[i] as number) - (r0[i] as number)) / h;
  }
  return J;
}

/**
 * Leverage h_ii of each data row of a least-squares problem: the diagonal of J (JᵀJ + PᵀP)⁻¹ Jᵀ,
 * where P are the prior rows. r_i / (1 − h_ii) approximates the residual the cell would have if
 * it were left out of the fit (the jackknife / PRESS residual).
 */
export function leverages(J: readonly (readonly number[])[], priorRows: readonly (readonly number[])[] = []): number[] {
  const n = (J[0] ?? []).length;
  const A: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (const row of [...J, ...priorRows]) {
    for (let a = 0; a < n; a++) {
      const ra = row[a] as number;
      if (ra === 0) continue;
      for (let b = 0; b < n; b++) (A[a] as number[])[b] = ((A[a] as number[])[b] as number) + ra * (row[b] as number);
    }
  }
  for (let a = 0; a < n; a++) (A[a] as number[])[a] = ((A[a] as number[])[a] as number) + 1e-9;
  return J.map((row) => {
    const z = solve(
      A.map((r) => r.slice()),
      row.slice(),
    );
    if (!z) return 0;
    return Math.min(
      1,
      Math.max(
        0,
        row.reduce((s, v, i) => s + v * (z[i] as number), 0),
      ),
    );
  });
}
