/**
 * The files `slm-energy probe` and `slm-energy sweep` write (data/measured/this-machine/probe.json,
 * sweep.json, sweep.csv), as zod schemas: the probe's and the sweep's types are inferred from
 * these, so the file format and the code cannot drift apart. Pure (no disk): `files.ts` reads them.
 */
import { z } from "zod";
import type { DeviceSpec } from "../../catalog/devices.js";
import { WRITABLE_QUANTS } from "../../gguf/types.js";

const finite = z.number().refine(Number.isFinite, { message: "expected a finite number" });
const count = z.number().int().nonnegative();

export const MachineInfoSchema = z.object({
  hostname: z.string(),
  platform: z.string(),
  arch: z.string(),
  cpuModel: z.string(),
  logicalCpus: count,
  /** ISA features relevant to llama.cpp kernels that the CPU reports. */
  features: z.array(z.string()),
  /** Max clock (GHz) from cpufreq, or the current clock from /proc/cpuinfo, or null. */
  clockGHz: finite.nullable(),
  clockSource: z.enum(["cpufreq max", "cpuinfo current"]).nullable(),
  /** Last-level cache (bytes) and its level, or null. */
  llcBytes: count.nullable(),
  llcLevel: count.nullable(),
  memoryBytes: count,
  virtualized: z.boolean(),
});

export const BandwidthMethodSchema = z.enum(["memchr", "js"]);

export const BandwidthPointSchema = z.object({
  method: BandwidthMethodSchema,
  threads: count,
  /** Bytes per thread. */
  bufferBytes: count,
  /** Best (highest) of the trials, GB/s (10^9 bytes/s), all threads together. */
  bestGBps: finite,
  medianGBps: finite,
  trials: count,
});

export const ComputePointSchema = z.object({
  quant: z.enum(WRITABLE_QUANTS),
  threads: count,
  parameters: count,
  promptTokens: count,
  /** Best of the trials, GFLOP/s (matmuls + attention of the prefill). */
  bestGflopsPerS: finite,
  medianGflopsPerS: finite,
  trials: count,
});

/** probe.json as the file spells it. */
export const ProbeFileSchema = z.object({
  schema: z.literal("slm-energy/probe@1"),
  /** ISO 8601 time of the measurement. */
  measured_at: z.string(),
  machine: MachineInfoSchema,
  bandwidth: z.array(BandwidthPointSchema),
  /** Best memchr read bandwidth beyond the last-level cache (null if no such point). */
  effective: z.object({ gbps: finite, threads: count, bufferBytes: count, method: BandwidthMethodSchema }).nullable(),
  /** llama.cpp prefill compute rate per quantization (absent when not measured). */
  compute: z.array(ComputePointSchema).optional(),
});

/** probe.json as the code uses it: the wire's one snake_case name (`measured_at`) becomes `measuredAt`. */
export const ProbeResultSchema = ProbeFileSchema.transform(({ measured_at, ...rest }) => ({
  ...rest,
  measuredAt: measured_at,
}));

export const PowerLawFitSchema = z.object({
  /** tokens/s = coefficient × bytes^exponent */
  exponent: finite,
  coefficient: finite,
  rSquared: finite,
  n: count,
});

export const SweepPointSchema = z.object({
  model: z.string(),
  quant: z.enum(WRITABLE_QUANTS),
  scale: finite,
  parameters: count,
  fileBytes: count,
  weightBytesPerToken: finite,
  /** Weights + KV cache at the mean decode context. */
  bytesPerToken: finite,
  promptTokens: finite,
  /**
   * Decode rate: the best (highest) per-inference rate, the least disturbed one (as the probe
   * reports best-of-trials bandwidth); the median is kept beside it.
   */
  decodeTokensPerS: finite,
  decodeTokensPerSMedian: finite,
  prefillTokensPerS: finite,
  prefillGflopsPerS: finite,
  /** Bytes actually streamed per second at the measured decode rate (GB/s). */
  achievedGBps: finite,
  predictedDecodeTokensPerS: finite,
  errorPct: finite,
  /** The calibrated model's decode rate for this machine and its error; null without a predictor. */
  modelDecodeTokensPerS: finite.nullable(),
  modelErrorPct: finite.nullable(),
  modelPrefillTokensPerS: finite.nullable(),
  /** Why the model gave no figure, when it failed. */
  modelNote: z.string().nullable(),
  fitted: z.boolean(),
  bundle: z.string().nullable(),
});

export const SweepResultSchema = z.object({
  schema: z.literal("slm-energy/sweep@1"),
  like: z.string(),
  points: z.array(SweepPointSchema),
  fit: z.object({
    minBytesPerToken: finite,
    powerLaw: PowerLawFitSchema.nullable(),
    effectiveBandwidthGBps: finite.nullable(),
    rmsLogError: finite.nullable(),
    byQuant: z.record(z.string(), z.object({ effectiveBandwidthGBps: finite, n: count })),
  }),
  prediction: z.object({
    bandwidthGBps: finite,
    meanAbsErrorPct: finite.nullable(),
    /** Mean abs error when the fitted bandwidth replaces the probe's. */
    meanAbsErrorPctWithFittedBandwidth: finite.nullable(),
    /** Mean abs error of the calibrated model (`predict`) over the fitted points, when it ran. */
    modelMeanAbsErrorPct: finite.nullable(),
  }),
});

/** Other processes on the same cores during a sweep (1-, 5- and 15-minute load averages). */
export const ContentionSchema = z.object({
  logical_cpus: count,
  load_average_start: z.array(finite),
  load_average_end: z.array(finite),
  note: z.string(),
});

/** sweep.json: the sweep's result with the conditions it ran under (its probe decoded as ProbeResultSchema). */
export const SweepDocumentSchema = SweepResultSchema.extend({
  contention: ContentionSchema,
  probe: ProbeResultSchema.nullable(),
  /**
   * The device spec the calibrated model was asked about (the catalog's format), or null; an object
   * here, checked field by field only where it is read as a catalog entry (`parseDeviceSpecFile`).
   */
  device_spec: z
    .custom<DeviceSpec>((v) => typeof v === "object" && v !== null && !Array.isArray(v), {
      error: "expected a device spec object or null",
    })
    .nullable(),
  measured_at: z.string(),
  machine: MachineInfoSchema,
});

/** The per-inference fields the sweep reads back from a collected bundle's inference.jsonl. */
export const SweepInferenceRecordSchema = z.object({
  prompt_tokens: count,
  gen_tokens: count,
  prefill_ms: z.number().positive(),
  decode_ms: z.number().positive(),
});

const csvNumber = z.coerce.number<string>().refine(Number.isFinite, { message: "expected a number" });
const csvNullable = z
  .string()
  .transform((s) => (s === "" ? null : Number(s)))
  .refine((v) => v === null || Number.isFinite(v), { message: "expected a number or an empty cell" });

/** One row of sweep.csv (snake_case columns, in this order). */
export const SweepCsvRowSchema = z.object({
  model: z.string(),
  quant: z.enum(WRITABLE_QUANTS),
  scale: csvNumber,
  parameters: csvNumber,
  file_bytes: csvNumber,
  weight_bytes_per_token: csvNumber,
  bytes_per_token: csvNumber,
  prompt_tokens: csvNumber,
  decode_tokens_per_s: csvNumber,
  decode_tokens_per_s_median: csvNumber,
  predicted_decode_tokens_per_s: csvNumber,
  error_pct: csvNumber,
  model_decode_tokens_per_s: csvNullable,
  model_error_pct: csvNullable,
  achieved_gbps: csvNumber,
  prefill_tokens_per_s: csvNumber,
  prefill_gflops_per_s: csvNumber,
  fitted: z.enum(["true", "false"]).transform((s) => s === "true"),
});

/** The columns of sweep.csv, in file order. */
export const SWEEP_CSV_COLUMNS = Object.keys(SweepCsvRowSchema.shape) as (keyof typeof SweepCsvRowSchema.shape)[];
