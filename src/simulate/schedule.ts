/**
 * The true timeline of a simulated run, on the inference host's clock (epoch s): an idle segment,
 * then inferences (prefill, then decode) separated by gaps, then a short idle tail. Token counts,
 * phase durations and power levels vary per inference around the workload's means (seeded); the
 * board's power wanders slowly (background load, temperature). The result is a piecewise-linear
 * power trace and, per inference, its exact energy: the trace's integral over the inference.
 */
import { internalError } from "../errors.js";
import { Rng } from "../stats/rng.js";
import { PowerTrace, sumTraces } from "./trace.js";
import type { WorkloadTruth } from "./workload.js";

/** One unit of work the runtime times: an inference, or one repetition of a llama-bench test. */
export interface Job {
  promptTokens: number;
  genTokens: number;
  prefillS: number;
  decodeS: number;
  prefillPowerW: number;
  decodePowerW: number;
}

export interface TimedJob extends Job {
  index: number;
  startS: number;
  endS: number;
  latencyS: number;
  /** Exact energy over [startS, endS] (J), gross, and net of the true idle power. */
  energyJ: number;
  energyNetJ: number;
}

export interface Timeline {
  jobs: TimedJob[];
  trace: PowerTrace;
  /** The idle segment the manifest points at (host clock) and the true mean power over it. */
  idle: { startS: number; endS: number; powerW: number };
  startS: number;
  endS: number;
}

export interface ScheduleOptions {
  seed: number;
  /** Host clock (epoch s) when the power trace starts. */
  startS: number;
  /** Idle seconds before the first job, and after the last. */
  idleLeadS: number;
  idleTailS: number;
  /** Gap between jobs: mean (s) and log-sd of its jitter (0 = constant gaps). */
  gapS: number;
  gapJitter: number;
  /** Gap inside groups of jobs that run back to back (llama-bench repetitions), s. */
  groupGapS?: number;
  /** Job i starts a new group when groupStarts[i] (default: every job). */
  groupStarts?: boolean[];
  /** The idle window the manifest names ends this long before the first job (s): at least two
   * sampling intervals, so that no interpolation reaches into the first inference. */
  idleGuardS?: number;
  /** Slow power wander: knot spacing (s) and sd (W). */
  wanderEveryS: number;
  wanderSdW: number;
  /** Longest power ramp at a level change (s); shorter for very short phases. */
  rampS: number;
}

export const DEFAULT_SCHEDULE: Omit<ScheduleOptions, "seed" | "startS"> = {
  idleLeadS: 6,
  idleTailS: 2,
  gapS: 0.05,
  gapJitter: 0.5,
  wanderEveryS: 0.5,
  wanderSdW: 0.02,
  rampS: 0.001,
};

/**
 * Per-item variation of a workload: prompt tokens vary (log-sd 0.25, as real items' lengths
 * do), generated tokens for generation benchmarks (log-sd 0.3); phase times follow their tokens
 * with 3 % jitter; active power varies 3 % per inference.
 */
export function itemJobs(w: WorkloadTruth, n: number, seed: number): Job[] {
  const rng = Rng.stream(seed, "items");
  const jobs: Job[] = [];
  for (let i = 0; i < n; i++) {
    const promptTokens = Math.max(1, Math.round(w.promptTokens * rng.factor(0.25)));
    const genTokens = w.genTokens <= 1 ? w.genTokens : Math.max(1, Math.round(w.genTokens * rng.factor(0.3)));
    const prefillS = w.prefillS * (promptTokens / w.promptTokens) * rng.factor(0.03);
    // Without generated tokens the decode phase is the runtime's per-inference overhead.
    const decodeS =
      w.decodeS === 0 ? 0 : w.decodeS * (w.genTokens > 0 ? genTokens / w.genTokens : 1) * rng.factor(0.03);
    const p = rng.factor(0.03);
    jobs.push({
      promptTokens,
      genTokens,
      prefillS,
      decodeS,
      prefillPowerW: w.idlePowerW + (w.prefillPowerW - w.idlePowerW) * p,
      decodePowerW: w.idlePowerW + (w.decodePowerW - w.idlePowerW) * p,
    });
  }
  return jobs;
}

interface Segment {
  t0: number;
  t1: number;
  powerW: number;
}

/** Piecewise-constant levels → piecewise-linear knots, each change a ramp starting at its boundary. */
function rampedKnots(segments: readonly Segment[], rampS: number): { timesS: number[]; powersW: number[] } {
  const timesS: number[] = [segments[0]!.t0];
  const powersW: number[] = [segments[0]!.powerW];
  for (let k = 1; k < segments.length; k++) {
    const prev = segments[k - 1]!;
    const s = segments[k]!;
    if (s.powerW === prev.powerW) continue;
    const r = Math.min(rampS, (s.t1 - s.t0) / 4, (prev.t1 - prev.t0) / 4);
    if (!(r > 0)) throw internalError("zero-length segment in a simulated schedule");
    if (s.t0 > timesS[timesS.length - 1]!) {
      timesS.push(s.t0);
      powersW.push(prev.powerW);
    }
    timesS.push(s.t0 + r);
    powersW.push(s.powerW);
  }
  const end = segments[segments.length - 1]!;
  timesS.push(end.t1);
  powersW.push(end.powerW);
  return { timesS, powersW };
}

/** Lay the jobs out in time and build the true power trace. */
export function buildTimeline(jobs: readonly Job[], idlePowerW: number, o: ScheduleOptions): Timeline {
  if (jobs.length === 0) throw internalError("a run needs at least one job");
  const rng = Rng.stream(o.seed, "schedule");
  const segments: Segment[] = [];
  let t = o.startS;
  segments.push({ t0: t, t1: t + o.idleLeadS, powerW: idlePowerW });
  t += o.idleLeadS;
  const times: { startS: number; endS: number }[] = [];
  jobs.forEach((j, i) => {
    if (i > 0) {
      const newGroup = o.groupStarts ? o.groupStarts[i]! : true;
      const gap = newGroup ? o.gapS * (o.gapJitter > 0 ? rng.factor(o.gapJitter) : 1) : (o.groupGapS ?? 0);
      if (gap > 0) {
        segments.push({ t0: t, t1: t + gap, powerW: idlePowerW });
        t += gap;
      }
    }
    const startS = t;
    if (j.prefillS > 0) {
      segments.push({ t0: t, t1: t + j.prefillS, powerW: j.prefillPowerW });
      t += j.prefillS;
    }
    if (j.decodeS > 0) {
      segments.push({ t0: t, t1: t + j.decodeS, powerW: j.decodePowerW });
      t += j.decodeS;
    }
    times.push({ startS, endS: t });
  });
  segments.push({ t0: t, t1: t + o.idleTailS, powerW: idlePowerW });
  const endS = t + o.idleTailS;
  const levels = rampedKnots(segments, o.rampS);
  const wRng = Rng.stream(o.seed, "wander");
  const wt: number[] = [];
  const wp: number[] = [];
  for (let x = o.startS; x < endS; x += o.wanderEveryS) {
    wt.push(x);
    wp.push(o.wanderSdW * wRng.normal());
  }
  wt.push(endS);
  wp.push(o.wanderSdW * wRng.normal());
  const trace =
    o.wanderSdW > 0
      ? sumTraces([levels, { timesS: wt, powersW: wp }])
      : new PowerTrace(Float64Array.from(levels.timesS), Float64Array.from(levels.powersW));
  const idle = { startS: o.startS + 0.5, endS: o.startS + o.idleLeadS - Math.max(0.5, o.idleGuardS ?? 0), powerW: 0 };
  if (!(idle.endS - idle.startS >= 1)) throw internalError("idle segment shorter than 1 s");
  idle.powerW = trace.meanW(idle.startS, idle.endS);
  const timed: TimedJob[] = jobs.map((j, i) => {
    const { startS, endS } = times[i]!;
    const energyJ = trace.energyJ(startS, endS);
    return {
      ...j,
      index: i,
      startS,
      endS,
      latencyS: endS - startS,
      energyJ,
      energyNetJ: energyJ - idle.powerW * (endS - startS),
    };
  });
  return { jobs: timed, trace, idle, startS: o.startS, endS };
}
