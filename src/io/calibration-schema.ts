import { z } from "zod";
import { BACKENDS } from "../domain/ids.js";
import { TOKENIZER_FAMILIES } from "../catalog/models.js";

/**
 * The calibration file's format (`models/calibrated/NAME.json`, schema `slm-energy/calibration@1`),
 * one zod schema per record. The records the model computes with (a platform's hardware and
 * parameters, a benchmark's workload, the priors) are typed from these schemas, so each is
 * defined once; the file's own spelling of the rest (snake_case cells and fit statistics,
 * `kind@owner` parameter names) is mapped to the model's types in io/calibration.ts.
 */
const positive = () => z.number().gt(0);
const nonNegative = () => z.number().min(0);

/**
 * A platform as the model sees it: one device, one backend, one power mode, and the spec-sheet
 * peaks the roofline divides by. Peak compute is FP32 (CPU: cores online × clock × FLOPs per
 * cycle; GPU: CUDA cores × 2 × clock); calibrated efficiencies are relative to these peaks.
 */
export const HardwareSchema = z.object({
  /** `device/backend/powerMode` */
  id: z.string(),
  device: z.string(),
  backend: z.enum(BACKENDS, { error: "expected cpu or gpu" }),
  powerMode: z.string(),
  peakComputeGflops: positive(),
  peakBandwidthGBps: positive(),
  memoryGB: positive(),
  specPowerW: positive(),
  /** Typical idle draw (W), from the catalog; null when unknown. */
  idlePowerW: nonNegative().nullable().default(null),
  supplyW: positive().nullable().default(null),
  /** CPU core or GPU architecture name: what efficiencies transfer by. */
  computeUnit: z.string(),
  int8DotProduct: z.boolean(),
});
export type Hardware = z.output<typeof HardwareSchema>;

/** The calibrated parameters of one platform (the roofline's efficiencies and the phase powers). */
export const PlatformParamsSchema = z.object({
  /** Fraction of peak FP32 FLOP/s reached (0, 1]. */
  etaCompute: positive().max(1),
  /** Fraction of peak DRAM bandwidth reached (0, 1]. */
  etaMemory: positive().max(1),
  /** Fixed time per inference outside prefill and decode (tokenisation, sampling, scheduling). */
  overheadS: nonNegative(),
  /** Average board power while prefilling (W). */
  prefillPowerW: positive(),
  /** Average board power while decoding and between phases (W). */
  decodePowerW: positive(),
});
export type PlatformParams = z.output<typeof PlatformParamsSchema>;

const tokens = z.number().min(0);

/**
 * How a benchmark is run, per inference. Multiple-choice benchmarks scored by log-likelihood
 * (HellaSwag, Winogrande) evaluate the context and every choice as one prefill with logits at each
 * position and generate nothing: their prompt tokens are what tokens/s × latency gives, a property
 * of the text and the tokenizer (the same on every platform). A benchmark whose source reports no
 * token counts (MMLU, which the paper counts in ops/s) is run by generation: its prompt tokens and
 * the tokens each model generates are fitted.
 */
export const BenchmarkWorkloadSchema = z.object({
  benchmark: z.string(),
  scoring: z.enum(["loglikelihood", "generate"]),
  /** Prompt tokens per inference by tokenizer family. */
  promptTokens: z.record(z.enum(TOKENIZER_FAMILIES), tokens),
  /** True when prompt tokens are a fitted parameter (no token counts in the data). */
  promptTokensFitted: z.boolean(),
  /** Generated tokens per inference for each calibrated model (fitted). */
  genTokensByModel: z.record(z.string(), tokens),
  /**
   * Geometric mean of the calibrated models' generated tokens per tokenizer family: what a model
   * the calibration has not seen gets (the same answer text takes more tokens with a small
   * vocabulary, and the study's two families also split its chat-tuned and base models).
   */
  genTokensByFamily: z.partialRecord(z.enum(TOKENIZER_FAMILIES), tokens),
  genTokensPooled: tokens,
  derivation: z.string(),
});
export type BenchmarkWorkload = z.output<typeof BenchmarkWorkloadSchema>;

const prior = z.object({ median: positive(), sigmaLog: positive() });

/** Prior strengths of the fit and its loss. */
export const PriorsSchema = z.object({
  /** Scale of the data's log residuals the priors are weighed against (smaller: weaker priors). */
  dataSigmaLog: positive(),
  etaMemory: prior,
  etaCompute: prior,
  quantFactor: prior,
  decodeOverPrefillPower: prior,
  /**
   * Scale (ln units) of the Cauchy loss on data residuals, or null for least squares. A robust
   * loss keeps a few cells the physics cannot explain from dragging every parameter.
   */
  robustScaleLog: positive().nullable(),
});
export type Priors = z.output<typeof PriorsSchema>;

const valueCheck = z.object({ measured: z.number(), fitted: z.number() });

/** One fitted cell as the file spells it. */
export const CalibrationCellWire = z.object({
  device: z.string(),
  backend: z.string(),
  power_mode: z.string(),
  model: z.string(),
  quant: z.string(),
  benchmark: z.string(),
  latency_s: valueCheck,
  energy_wh: valueCheck,
  source: z.string(),
});

/** In-sample fit statistics as the file spells them. */
export const FitStatsWire = z.object({
  mape_pct: z.number().nullable(),
  median_ape_pct: z.number().nullable(),
  max_ape_pct: z.number().nullable(),
  rms_log: z.number().nullable(),
});

const residuals = z.array(z.number()).min(1);

const CalibrationFileShape = z.object({
  schema: z.literal("slm-energy/calibration@1", {
    error: "not a calibration file (schema slm-energy/calibration@1)",
  }),
  name: z.string(),
  source: z.object({
    kind: z.string(),
    files: z.array(z.string()),
    observations: z.number().int().min(0),
    rejected: z.array(z.object({ file: z.string(), line: z.number(), reason: z.string() })).optional(),
  }),
  assumptions: z.object({
    quantByModel: z.record(z.string(), z.string()),
    powerModeByDevice: z.record(z.string(), z.string()),
    kvCacheType: z.literal("F16"),
    ubatch: z.number().int().gt(0),
    priors: PriorsSchema,
    bootstrap: z.object({ replicates: z.number().int().min(0), seed: z.number().int(), method: z.string() }),
    intervalLevel: positive().max(1),
  }),
  platforms: z.record(z.string(), z.object({ hardware: HardwareSchema, params: PlatformParamsSchema })),
  quantFactors: z.record(z.string(), positive()).default({}),
  workloads: z.array(BenchmarkWorkloadSchema).min(1),
  tokenizerRatio: positive(),
  modelFamilies: z.record(z.string(), z.enum(TOKENIZER_FAMILIES)),
  coverage: z.object({
    models: z.array(z.object({ id: z.string(), quant: z.string(), quantFamily: z.string(), parameters: positive() })),
    promptTokens: z.tuple([z.number(), z.number()]),
    genTokens: z.tuple([z.number(), z.number()]),
  }),
  fit: z.object({ latency: FitStatsWire, energy: FitStatsWire }),
  parameterNames: z.array(z.string()).min(1),
  estimate: z.array(positive()),
  residualsLog: z.object({ latency: residuals, energy: residuals }),
  looResidualsLog: z.object({ latency: residuals, energy: residuals }),
  cells: z.array(CalibrationCellWire),
  replicates: z.array(z.array(positive())),
});

type Shape = z.output<typeof CalibrationFileShape>;

/** Lengths that must agree: one value per parameter name, one residual per cell. */
function checkLengths(c: Shape, ctx: z.RefinementCtx): void {
  const n = c.parameterNames.length;
  const perName = `expected ${n} values, one per parameter name`;
  if (c.estimate.length !== n) ctx.addIssue({ code: "custom", path: ["estimate"], message: perName });
  c.replicates.forEach((r, i) => {
    if (r.length !== n) ctx.addIssue({ code: "custom", path: ["replicates", i], message: perName });
  });
  if (c.residualsLog.latency.length !== c.residualsLog.energy.length)
    ctx.addIssue({
      code: "custom",
      path: ["residualsLog"],
      message: "latency and energy residuals differ in length",
    });
  const loo = c.looResidualsLog;
  if (loo.latency.length !== c.residualsLog.latency.length || loo.energy.length !== c.residualsLog.energy.length)
    ctx.addIssue({
      code: "custom",
      path: ["looResidualsLog"],
      message: "leave-one-out residuals must match the residuals in length",
    });
}

/** The whole file, as it is written (wire names). */
export const CalibrationFileSchema = CalibrationFileShape.superRefine(checkLengths);
export type CalibrationFile = z.output<typeof CalibrationFileSchema>;
/** What serialization takes: the file before defaults apply (rejected rows optional). */
export type CalibrationFileInput = z.input<typeof CalibrationFileShape>;
