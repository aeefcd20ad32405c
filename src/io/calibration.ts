import type { Calibration, CalibrationCell, FitStats } from "../model/calibration.js";
import type { ParamKey } from "../model/parameters.js";
import { inputError, isSlmError, notFoundError } from "../errors.js";
import { readTextFile } from "./files.js";
import { parseJsonDocument, decodeJson } from "./json.js";
import {
  CalibrationFileSchema,
  type CalibrationCellWire,
  type CalibrationFile,
  type CalibrationFileInput,
  type FitStatsWire,
} from "./calibration-schema.js";
import type { z } from "zod";

/**
 * The calibration file (`models/calibrated/NAME.json`, schema `slm-energy/calibration@1`):
 * written with numbers rounded to 7 significant digits (stable diffs, idempotent rewrites), read
 * back through its schema (every bad field reported at once). Its snake_case cells and fit
 * statistics and its `kind@owner` parameter names are mapped to the model's records here.
 */
const round = (x: number): number => (Number.isFinite(x) && x !== 0 ? Number(x.toPrecision(7)) : x);

function roundDeep(v: unknown): unknown {
  if (typeof v === "number") return round(v);
  if (Array.isArray(v)) return v.map(roundDeep);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, roundDeep(x)]));
  return v;
}

const WIRE_KIND = {
  etaCompute: "eta_compute",
  etaMemory: "eta_memory",
  overheadS: "overhead_s",
  quantFactor: "quant_factor",
  promptTokens: "prompt_tokens",
  genTokens: "gen_tokens",
  prefillPowerW: "prefill_power_w",
  decodePowerW: "decode_power_w",
} as const satisfies Record<ParamKey["kind"], string>;

const KIND_OF_WIRE = new Map(Object.entries(WIRE_KIND).map(([k, w]) => [w as string, k as ParamKey["kind"]]));

/** A parameter's name in the file: `eta_compute@device/backend/mode`, `gen_tokens@benchmark@model`, … */
export function paramName(k: ParamKey): string {
  switch (k.kind) {
    case "quantFactor":
      return `${WIRE_KIND[k.kind]}@${k.quantFamily}`;
    case "promptTokens":
      return `${WIRE_KIND[k.kind]}@${k.benchmark}`;
    case "genTokens":
      return `${WIRE_KIND[k.kind]}@${k.benchmark}@${k.model}`;
    default:
      return `${WIRE_KIND[k.kind]}@${k.platform}`;
  }
}

/** The parameter a file's name stands for, or null when it names none. */
export function paramFromName(name: string): ParamKey | null {
  const [wire, a, b, ...rest] = name.split("@");
  const kind = KIND_OF_WIRE.get(wire ?? "");
  if (kind === undefined || !a || rest.length > 0) return null;
  if (kind === "genTokens") return b ? { kind, benchmark: a, model: b } : null;
  if (b !== undefined) return null;
  if (kind === "quantFactor") return { kind, quantFamily: a };
  if (kind === "promptTokens") return { kind, benchmark: a };
  return { kind, platform: a };
}

const fitToWire = (f: FitStats): z.input<typeof FitStatsWire> => ({
  mape_pct: f.mapePct,
  median_ape_pct: f.medianApePct,
  max_ape_pct: f.maxApePct,
  rms_log: f.rmsLog,
});

const nan = (x: number | null): number => x ?? NaN;
const fitFromWire = (f: z.output<typeof FitStatsWire>): FitStats => ({
  mapePct: nan(f.mape_pct),
  medianApePct: nan(f.median_ape_pct),
  maxApePct: nan(f.max_ape_pct),
  rmsLog: nan(f.rms_log),
});

const cellToWire = (c: CalibrationCell): z.input<typeof CalibrationCellWire> => ({
  device: c.device,
  backend: c.backend,
  power_mode: c.powerMode,
  model: c.model,
  quant: c.quant,
  benchmark: c.benchmark,
  latency_s: c.latencyS,
  energy_wh: c.energyWh,
  source: c.source,
});

const cellFromWire = (c: z.output<typeof CalibrationCellWire>): CalibrationCell => ({
  device: c.device,
  backend: c.backend,
  powerMode: c.power_mode,
  model: c.model,
  quant: c.quant,
  benchmark: c.benchmark,
  latencyS: c.latency_s,
  energyWh: c.energy_wh,
  source: c.source,
});

/** The file's document for a calibration, in the file's key order (replicates last). */
export function calibrationToWire(cal: Calibration): CalibrationFileInput {
  return {
    schema: cal.schema,
    name: cal.name,
    source: cal.source,
    assumptions: cal.assumptions,
    platforms: cal.platforms,
    quantFactors: cal.quantFactors,
    workloads: cal.workloads,
    tokenizerRatio: cal.tokenizerRatio,
    modelFamilies: cal.modelFamilies,
    coverage: cal.coverage,
    fit: { latency: fitToWire(cal.fit.latency), energy: fitToWire(cal.fit.energy) },
    parameterNames: cal.parameters.map(paramName),
    estimate: cal.estimate,
    residualsLog: cal.residualsLog,
    looResidualsLog: cal.looResidualsLog,
    cells: cal.cells.map(cellToWire),
    replicates: cal.replicates,
  };
}

/** A calibration from the file's (validated) document. */
export function calibrationFromWire(w: CalibrationFile, parameters: ParamKey[]): Calibration {
  return {
    schema: w.schema,
    name: w.name,
    source: w.source,
    assumptions: w.assumptions,
    platforms: w.platforms,
    quantFactors: w.quantFactors,
    workloads: w.workloads,
    tokenizerRatio: w.tokenizerRatio,
    modelFamilies: w.modelFamilies,
    coverage: w.coverage,
    fit: { latency: fitFromWire(w.fit.latency), energy: fitFromWire(w.fit.energy) },
    parameters,
    estimate: w.estimate,
    replicates: w.replicates,
    residualsLog: w.residualsLog,
    looResidualsLog: w.looResidualsLog,
    cells: w.cells.map(cellFromWire),
  };
}

export function serializeCalibration(cal: Calibration): string {
  const { replicates, ...rest } = roundDeep(calibrationToWire(cal)) as CalibrationFileInput;
  // One replicate per line keeps the file readable and diffable.
  const body = JSON.stringify({ ...rest, replicates: "__REPLICATES__" }, null, 2);
  const reps = replicates.length ? `[\n${replicates.map((r) => `    ${JSON.stringify(r)}`).join(",\n")}\n  ]` : "[]";
  return body.replace('"__REPLICATES__"', reps) + "\n";
}

const HINT = "write one with `slm-energy calibrate`";

export function parseCalibration(text: string, file: string): Calibration {
  const doc = parseJsonDocument(text, file);
  const w = decodeJson(CalibrationFileSchema, doc, { hint: HINT });
  const parameters = w.parameterNames.map((name, i) => {
    const k = paramFromName(name);
    if (k === null) {
      const line = doc.lineAt(["parameterNames", i]);
      throw inputError("not a parameter of the model", {
        file,
        ...(line === undefined ? {} : { line }),
        field: `parameterNames[${i}]`,
        text: name,
        hint: HINT,
      });
    }
    return k;
  });
  return calibrationFromWire(w, parameters);
}

/** Reads and checks a calibration file. */
export function loadCalibration(path: string): Calibration {
  let text: string;
  try {
    text = readTextFile(path, "calibration file");
  } catch (e) {
    if (!(isSlmError(e) && e.code === "E_NOT_FOUND")) throw e;
    throw notFoundError("calibration file not found", {
      file: path,
      cause: e,
      hint: "run `slm-energy calibrate` first, or pass --calibration FILE",
    });
  }
  return parseCalibration(text, path);
}
