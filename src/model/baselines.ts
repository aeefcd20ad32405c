import { quantileSorted } from "simple-statistics";
import { internalError } from "../errors.js";
import { platformOf, type Observation } from "./observations.js";
import { predictEnergy, predictTiming } from "./roofline.js";
import type { ParamSet } from "./fit.js";
import { cellWorkload, type BenchmarkWorkload } from "./workload.js";
import type { World } from "./world.js";
import type { TokenizerFamily } from "../catalog/models.js";

/**
 * The two baselines validation reports beside the calibrated model.
 *
 * Statistical: ln y = platform effect + (model × benchmark) effect, least squares by alternating
 * means. An unseen platform gets the mean platform effect; an unseen model the mean effect of the
 * other models on that benchmark. Its 90% interval adds the 5th–95th percentiles of its training
 * residuals (inflated for the fitted effects).
 *
 * Uncalibrated roofline: the same physics and workload with spec-sheet peaks (η = 1), no
 * overhead, and the mode's spec power for the whole inference. No interval.
 */
export interface StatisticalFit {
  platform: Map<string, number>;
  cell: Map<string, number>;
  residuals: number[];
  parameters: number;
}

const cellKey = (o: Pick<Observation, "model" | "benchmark">) => `${o.model}|${o.benchmark}`;

export function fitStatistical(obs: readonly Observation[], y: (o: Observation) => number): StatisticalFit {
  const platform = new Map<string, number>();
  const cell = new Map<string, number>();
  const ly = obs.map((o) => Math.log(y(o)));
  for (const o of obs) {
    platform.set(platformOf(o), 0);
    cell.set(cellKey(o), 0);
  }
  for (let it = 0; it < 200; it++) {
    for (const k of cell.keys()) {
      let s = 0;
      let n = 0;
      obs.forEach((o, i) => {
        if (cellKey(o) === k) {
          s += (ly[i] as number) - (platform.get(platformOf(o)) as number);
          n++;
        }
      });
      cell.set(k, s / n);
    }
    for (const k of platform.keys()) {
      let s = 0;
      let n = 0;
      obs.forEach((o, i) => {
        if (platformOf(o) === k) {
          s += (ly[i] as number) - (cell.get(cellKey(o)) as number);
          n++;
        }
      });
      platform.set(k, s / n);
    }
  }
  const residuals = obs.map(
    (o, i) => (platform.get(platformOf(o)) as number) + (cell.get(cellKey(o)) as number) - (ly[i] as number),
  );
  return { platform, cell, residuals, parameters: platform.size + cell.size - 1 };
}

export function predictStatistical(f: StatisticalFit, o: Observation): { value: number; low: number; high: number } {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const a = f.platform.get(platformOf(o)) ?? mean([...f.platform.values()]);
  let c = f.cell.get(cellKey(o));
  if (c === undefined) {
    const same = [...f.cell.entries()].filter(([k]) => k.endsWith(`|${o.benchmark}`)).map(([, v]) => v);
    c = same.length ? mean(same) : mean([...f.cell.values()]);
  }
  const n = f.residuals.length;
  const k = n > f.parameters ? Math.sqrt(n / (n - f.parameters)) : 2;
  const r = f.residuals.map((x) => x * k).sort((x, y) => x - y);
  const q = (p: number) => quantileSorted(r, p);
  const v = Math.exp(a + c);
  return { value: v, low: v * Math.exp(q(0.05)), high: v * Math.exp(q(0.95)) };
}

/** Spec-sheet roofline prediction of one observation with the workload of a fitted parameter set. */
export function predictRooflineUncalibrated(
  o: Observation,
  world: World,
  params: ParamSet,
): { latencyS: number; energyWh: number } {
  const hw = world.hardware.get(platformOf(o));
  const phys = world.physics.get(`${o.model}@${o.quant}`);
  const bw = params.workloads.find((w) => w.benchmark === o.benchmark) as BenchmarkWorkload;
  if (!hw || !phys || !bw)
    throw internalError(`no hardware, physics or workload for ${platformOf(o)} ${o.model} ${o.benchmark}`);
  const pp = { etaCompute: 1, etaMemory: 1, overheadS: 0, prefillPowerW: hw.specPowerW, decodePowerW: hw.specPowerW };
  const t = predictTiming(phys, hw, pp, cellWorkload(bw, world.tokenizer.get(o.model) as TokenizerFamily, o.model, o));
  return { latencyS: t.latencyS, energyWh: predictEnergy(t, pp).energyWh };
}
