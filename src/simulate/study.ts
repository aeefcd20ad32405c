/**
 * The sampling study: how wrong is a measured inference energy, as a function of the meter, its
 * sampling rate and the inference's length? For each (meter, rate, length) a run of back-to-back
 * inferences of that length (±10 %) is simulated on a representative board (idle 3 W, 9 W mean
 * while running: the middle of the paper's 6–14 W), written in the meter's real format, parsed by
 * the ingester's own parser and integrated over each inference by the ingester's own window
 * integrator — the same path `ingest` takes — and compared with the exact truth.
 *
 * Reported per cell: median, 95th-percentile and largest |error| of single inferences, the mean
 * signed error (bias), the error of the run's total (what the paper's per-inference averages
 * rest on: edge errors of neighbours partly cancel), and the sensor model's bound for comparison.
 * Synchronous, seeded and deterministic; all cells take a few seconds.
 */
import { quantileSorted } from "simple-statistics";
import type { DeviceId } from "../domain/ids.js";
import { WindowIntegrator } from "../ingest/energy/integrate.js";
import { parsePowerText } from "../ingest/power/read.js";
import { METERS, METER_IDS, type MeterId } from "./meters/index.js";
import { Rng } from "../stats/rng.js";
import { buildTimeline, DEFAULT_SCHEDULE, type Job } from "./schedule.js";
import { energyToleranceJ } from "./tolerance.js";
import type { WorkloadTruth } from "./workload.js";

export const STUDY_LENGTHS_S = [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20] as const;
export const STUDY_RATES_HZ = [0.5, 1, 2, 5, 10, 20, 50, 100] as const;
export const STUDY_THRESHOLDS_PCT = [1, 5, 10] as const;
/** Board the study simulates (W). */
export const STUDY_IDLE_W = 3;
export const STUDY_MEAN_W = 9;
/** Seconds of inference each cell simulates at least (enough readings at the slowest rate). */
export const STUDY_RUN_S = 40;
/** Fewest inferences per cell (long inferences): enough for a 95th percentile. */
export const STUDY_MIN_INFERENCES = 20;

export interface SamplingCell {
  meter: MeterId;
  sampleHz: number;
  inferenceS: number;
  inferences: number;
  medianAbsErrPct: number;
  p95AbsErrPct: number;
  maxAbsErrPct: number;
  biasPct: number;
  runTotalErrPct: number;
  /** Median of the sensor model's bound (energyToleranceJ / E), %. */
  boundPct: number;
}

export interface RuleOfThumb {
  meter: MeterId;
  sampleHz: number;
  thresholdPct: number;
  /**
   * Inferences shorter than this (s) have a 95th-percentile error above the threshold: the
   * shortest studied length from which every longer one stays within it. null: even the longest
   * studied length is off by more; 0: even the shortest is within it.
   */
  shorterThanS: number | null;
  sentence: string;
}

export interface SamplingStudy {
  cells: SamplingCell[];
  rules: RuleOfThumb[];
  assumptions: string[];
}

/** The device a meter's log is written for (its real board, or an Orin for host meters). */
function deviceFor(meter: MeterId): DeviceId {
  const real = METERS[meter].realOn;
  return real.includes("jetson-orin-nano") ? "jetson-orin-nano" : (real[0] ?? "jetson-orin-nano");
}

export function studyRates(meter: MeterId): number[] {
  const spec = METERS[meter];
  return STUDY_RATES_HZ.filter(
    (hz) => hz <= spec.maxHz && !(meter === "pmic" && hz > 10) && !(meter === "fnirsi" && hz < 1),
  );
}

/** simple-statistics' linear quantile (R type 7) of sorted values; NaN for none. */
const quantile = (sorted: number[], q: number): number => (sorted.length === 0 ? NaN : quantileSorted(sorted, q));

/** The study board's workload for inferences of `inferenceS`, and its active power scale `x` (W). */
function studyWorkload(meter: MeterId, inferenceS: number): { workload: WorkloadTruth; x: number } {
  const prefillShare = 0.8;
  const activeW = STUDY_MEAN_W - STUDY_IDLE_W;
  const x = activeW / (prefillShare + 0.8 * (1 - prefillShare));
  const workload: WorkloadTruth = {
    device: deviceFor(meter),
    backend: "cpu",
    powerMode: "study",
    model: "llama-3.2-1b",
    quantization: "study",
    benchmark: "hellaswag",
    promptTokens: 100,
    genTokens: 1,
    prefillS: inferenceS * prefillShare,
    decodeS: inferenceS * (1 - prefillShare),
    prefillPowerW: STUDY_IDLE_W + x,
    decodePowerW: STUDY_IDLE_W + 0.8 * x,
    idlePowerW: STUDY_IDLE_W,
    source: "sampling study board",
  };
  return { workload, x };
}

/** `n` inferences jittered around the workload (±10 % in time, 3 % in power). */
function studyJobs(rng: Rng, n: number, workload: WorkloadTruth, x: number): Job[] {
  return Array.from({ length: n }, () => {
    const f = rng.between(0.9, 1.1);
    const p = rng.factor(0.03);
    return {
      promptTokens: 100,
      genTokens: 1,
      prefillS: workload.prefillS * f,
      decodeS: workload.decodeS * f,
      prefillPowerW: STUDY_IDLE_W + x * p,
      decodePowerW: STUDY_IDLE_W + 0.8 * x * p,
    };
  });
}

type Timeline = ReturnType<typeof buildTimeline>;

/** The meter's log of the timeline, read back by the ingester's parser and window integrator. */
function measure(meter: MeterId, sampleHz: number, t: Timeline, rng: Rng, device: DeviceId) {
  const out = METERS[meter].write({
    trace: t.trace,
    startS: t.startS,
    endS: t.endS,
    sampleHz,
    device,
    rng,
    clockOffsetS: 0.25,
    printedS: (s) => s,
    allowTimeless: true,
  });
  const parsed = parsePowerText(out.lines.join("\n") + "\n", {
    file: out.fileName,
    format: out.manifest.meter,
    ...(out.manifest.power_interval_ms ? { intervalMs: out.manifest.power_interval_ms } : {}),
  });
  const cal = out.manifest.power_calibration;
  const integ = new WindowIntegrator(
    t.jobs.map((j) => ({ id: String(j.index), startS: j.startS, endS: j.endS })),
    {
      clockOffsetS: out.manifest.clock_offset_s,
      ...(cal ? { calibration: { gain: cal.gain, offsetW: cal.offset_w } } : {}),
    },
  );
  for (const s of parsed.samples) integ.push(s);
  return { got: integ.finish(), sensor: out.sensor };
}

/** One cell of the study. */
export function studyCell(meter: MeterId, sampleHz: number, inferenceS: number, seed = 1): SamplingCell {
  const n = Math.max(
    STUDY_MIN_INFERENCES,
    Math.min(400, Math.round(STUDY_RUN_S / (inferenceS + DEFAULT_SCHEDULE.gapS))),
  );
  const rng = Rng.stream(seed, `study:${meter}:${sampleHz}:${inferenceS}`);
  const { workload, x } = studyWorkload(meter, inferenceS);
  const jobs = studyJobs(rng, n, workload, x);
  const t = buildTimeline(jobs, STUDY_IDLE_W, {
    ...DEFAULT_SCHEDULE,
    seed,
    startS: 1748779200,
    idleLeadS: Math.max(DEFAULT_SCHEDULE.idleLeadS, 1.5 + 3 / sampleHz),
    idleGuardS: 2.5 / sampleHz,
    idleTailS: 2 + 2 / sampleHz,
    wanderSdW: DEFAULT_SCHEDULE.wanderSdW * STUDY_IDLE_W,
  });
  const meterRng = Rng.stream(seed, `study-meter:${meter}:${sampleHz}:${inferenceS}`);
  const { got, sensor } = measure(meter, sampleHz, t, meterRng, workload.device);
  const errs = t.jobs.map((j, i) => (got[i]!.energyJ - j.energyJ) / j.energyJ);
  const abs = errs.map(Math.abs).sort((a, b) => a - b);
  const bounds = t.jobs
    .map(
      (j) =>
        energyToleranceJ({ latencyS: j.latencyS, repetitions: 1, edgeUncertaintyS: 1e-6 }, sensor, workload) /
        j.energyJ,
    )
    .sort((a, b) => a - b);
  const totalTrue = t.jobs.reduce((s, j) => s + j.energyJ, 0);
  const totalGot = got.reduce((s, g) => s + g.energyJ, 0);
  const pct = (v: number) => Number((100 * v).toPrecision(4));
  return {
    meter,
    sampleHz,
    inferenceS,
    inferences: n,
    medianAbsErrPct: pct(quantile(abs, 0.5)),
    p95AbsErrPct: pct(quantile(abs, 0.95)),
    maxAbsErrPct: pct(abs[abs.length - 1]!),
    biasPct: pct(errs.reduce((s, e) => s + e, 0) / errs.length),
    runTotalErrPct: pct((totalGot - totalTrue) / totalTrue),
    boundPct: pct(quantile(bounds, 0.5)),
  };
}

/** The rule of thumb for one meter and rate from its cells (sorted by length). */
export function ruleOfThumb(
  cells: readonly SamplingCell[],
  meter: MeterId,
  sampleHz: number,
  thresholdPct: number,
): RuleOfThumb {
  const mine = cells
    .filter((c) => c.meter === meter && c.sampleHz === sampleHz)
    .sort((a, b) => a.inferenceS - b.inferenceS);
  let from: number | null = null;
  for (let i = mine.length - 1; i >= 0; i--) {
    if (mine[i]!.p95AbsErrPct <= thresholdPct) from = mine[i]!.inferenceS;
    else break;
  }
  const shortest = mine[0]?.inferenceS ?? 0;
  const shorterThanS = from === null ? null : from === shortest ? 0 : from;
  const rate = sampleHz >= 1 ? `${sampleHz} Hz` : `${sampleHz} Hz (every ${1 / sampleHz} s)`;
  const sentence =
    shorterThanS === null
      ? `${meter} at ${rate}: even ${mine[mine.length - 1]?.inferenceS ?? "?"} s inferences are off by more ` +
        `than ${thresholdPct} % (95th percentile)`
      : shorterThanS === 0
        ? `${meter} at ${rate}: inferences of ${shortest} s and longer are within ${thresholdPct} % (95th percentile)`
        : `${meter} at ${rate}: inferences shorter than ${shorterThanS} s are off by more than ` +
          `${thresholdPct} % (95th percentile)`;
  return { meter, sampleHz, thresholdPct, shorterThanS, sentence };
}

export interface StudyOptions {
  meters?: readonly MeterId[];
  lengthsS?: readonly number[];
  seed?: number;
}

export function runSamplingStudy(o: StudyOptions = {}): SamplingStudy {
  const meters = o.meters ?? METER_IDS;
  const lengths = o.lengthsS ?? STUDY_LENGTHS_S;
  const cells: SamplingCell[] = [];
  for (const m of meters)
    for (const hz of studyRates(m)) for (const L of lengths) cells.push(studyCell(m, hz, L, o.seed ?? 1));
  const rules: RuleOfThumb[] = [];
  for (const m of meters)
    for (const hz of studyRates(m)) for (const th of STUDY_THRESHOLDS_PCT) rules.push(ruleOfThumb(cells, m, hz, th));
  return {
    cells,
    rules,
    assumptions: [
      `board: idle ${STUDY_IDLE_W} W, ${STUDY_MEAN_W} W mean while running (prefill 80 % of the time, ` +
        `decode at 80 % of prefill's active power), 3 % power jitter, slow wander of 2 % of idle`,
      "inferences back to back, ~50 ms apart (a benchmark harness), lengths ±10 % around the nominal",
      "each meter's log written in its real format and read by the ingester's parser and window integrator",
      "fnirsi below 100 Hz and the PMIC above 10 Hz are not studied (the meter streams at 100 Hz; a PMIC " +
        "read takes 23 ms)",
    ],
  };
}
