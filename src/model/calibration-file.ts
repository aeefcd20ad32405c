import { readFileSync } from "node:fs";
import { notFoundError } from "../errors.js";
import { isBackend, type Backend } from "../domain/ids.js";
import { TOKENIZER_FAMILIES } from "../catalog/models.js";
import { parseJsonWithLines } from "../catalog/json-lines.js";
import { JsonCursor } from "../catalog/json-cursor.js";
import type { Calibration } from "./calibration.js";
import type { Hardware } from "./hardware.js";
import type { PlatformParams } from "./roofline.js";
import type { BenchmarkWorkload } from "./workload.js";

/**
 * The calibration file (`models/calibrated/NAME.json`, schema `slm-energy/calibration@1`):
 * written with numbers rounded to 7 significant digits (stable diffs, idempotent rewrites),
 * read back with every field the predictions depend on checked.
 */
const round = (x: number): number => (Number.isFinite(x) && x !== 0 ? Number(x.toPrecision(7)) : x);

function roundDeep(v: unknown): unknown {
  if (typeof v === "number") return round(v);
  if (Array.isArray(v)) return v.map(roundDeep);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, roundDeep(x)]));
  return v;
}

export function serializeCalibration(cal: Calibration): string {
  const { replicates, ...rest } = roundDeep(cal) as Calibration;
  // One replicate per line keeps the file readable and diffable.
  const body = JSON.stringify({ ...rest, replicates: "__REPLICATES__" }, null, 2);
  const reps = replicates.length ? `[\n${replicates.map((r) => `    ${JSON.stringify(r)}`).join(",\n")}\n  ]` : "[]";
  return body.replace('"__REPLICATES__"', reps) + "\n";
}

function readHardware(c: JsonCursor): Hardware {
  const backend = c.key("backend").string();
  if (!isBackend(backend)) throw c.key("backend").error("expected cpu or gpu");
  return {
    id: c.key("id").string(),
    device: c.key("device").string(),
    backend: backend as Backend,
    powerMode: c.key("powerMode").string(),
    peakComputeGflops: c.key("peakComputeGflops").number({ exclusiveMin: 0 }),
    peakBandwidthGBps: c.key("peakBandwidthGBps").number({ exclusiveMin: 0 }),
    memoryGB: c.key("memoryGB").number({ exclusiveMin: 0 }),
    specPowerW: c.key("specPowerW").number({ exclusiveMin: 0 }),
    idlePowerW: c.key("idlePowerW").optNumber({ min: 0 }),
    supplyW: c.key("supplyW").optNumber({ exclusiveMin: 0 }),
    computeUnit: c.key("computeUnit").string(),
    int8DotProduct: c.key("int8DotProduct").boolean(),
  };
}

function readParams(c: JsonCursor): PlatformParams {
  return {
    etaCompute: c.key("etaCompute").number({ exclusiveMin: 0, max: 1 }),
    etaMemory: c.key("etaMemory").number({ exclusiveMin: 0, max: 1 }),
    overheadS: c.key("overheadS").number({ min: 0 }),
    prefillPowerW: c.key("prefillPowerW").number({ exclusiveMin: 0 }),
    decodePowerW: c.key("decodePowerW").number({ exclusiveMin: 0 }),
  };
}

function readWorkload(c: JsonCursor): BenchmarkWorkload {
  const pt = c.key("promptTokens");
  const gen = c.key("genTokensByModel");
  return {
    benchmark: c.key("benchmark").string(),
    scoring: c.key("scoring").oneOf(["loglikelihood", "generate"] as const),
    promptTokens: Object.fromEntries(
      TOKENIZER_FAMILIES.map((f) => [f, pt.key(f).number({ min: 0 })]),
    ) as BenchmarkWorkload["promptTokens"],
    promptTokensFitted: c.key("promptTokensFitted").boolean(),
    genTokensByModel: Object.fromEntries(Object.keys(gen.object()).map((m) => [m, gen.key(m).number({ min: 0 })])),
    genTokensByFamily: (() => {
      const fc = c.key("genTokensByFamily");
      const out: BenchmarkWorkload["genTokensByFamily"] = {};
      for (const f of TOKENIZER_FAMILIES) if (!fc.key(f).isMissing) out[f] = fc.key(f).number({ min: 0 });
      return out;
    })(),
    genTokensPooled: c.key("genTokensPooled").number({ min: 0 }),
    derivation: c.key("derivation").string(),
  };
}

export function parseCalibration(text: string, file: string): Calibration {
  const root = JsonCursor.root(parseJsonWithLines(text, file));
  const schema = root.key("schema").string();
  if (schema !== "slm-energy/calibration@1")
    throw root
      .key("schema")
      .error("not a calibration file (schema slm-energy/calibration@1)", "write one with `slm-energy calibrate`");
  const names = root
    .key("parameterNames")
    .array({ minLength: 1 })
    .map((c) => c.string());
  const vec = (c: JsonCursor) => {
    const xs = c.array().map((x) => x.number({ exclusiveMin: 0 }));
    if (xs.length !== names.length) throw c.error(`expected ${names.length} values, one per parameter name`);
    return xs;
  };
  const platformsC = root.key("platforms");
  const platforms: Calibration["platforms"] = {};
  for (const id of Object.keys(platformsC.object())) {
    const p = platformsC.key(id);
    platforms[id] = { hardware: readHardware(p.key("hardware")), params: readParams(p.key("params")) };
  }
  const lat = root
    .key("residualsLog")
    .key("latency")
    .array({ minLength: 1 })
    .map((c) => c.number());
  const en = root
    .key("residualsLog")
    .key("energy")
    .array({ minLength: 1 })
    .map((c) => c.number());
  if (lat.length !== en.length) throw root.key("residualsLog").error("latency and energy residuals differ in length");
  const looC = root.key("looResidualsLog");
  const looLat = looC
    .key("latency")
    .array({ minLength: 1 })
    .map((c) => c.number());
  const looEn = looC
    .key("energy")
    .array({ minLength: 1 })
    .map((c) => c.number());
  if (looLat.length !== lat.length || looEn.length !== en.length)
    throw looC.error("leave-one-out residuals must match the residuals in length");
  const assumptions = root.key("assumptions");
  const raw = JSON.parse(text) as Calibration;
  const cov = root.key("coverage");
  return {
    ...raw,
    schema: "slm-energy/calibration@1",
    name: root.key("name").string(),
    assumptions: {
      ...raw.assumptions,
      intervalLevel: assumptions.key("intervalLevel").number({ exclusiveMin: 0, max: 1 }),
    },
    platforms,
    quantFactors: (() => {
      const qc = root.key("quantFactors");
      if (qc.isMissing) return {};
      return Object.fromEntries(Object.keys(qc.object()).map((k) => [k, qc.key(k).number({ exclusiveMin: 0 })]));
    })(),
    workloads: root.key("workloads").array({ minLength: 1 }).map(readWorkload),
    tokenizerRatio: root.key("tokenizerRatio").number({ exclusiveMin: 0 }),
    modelFamilies: (() => {
      const mc = root.key("modelFamilies");
      return Object.fromEntries(Object.keys(mc.object()).map((m) => [m, mc.key(m).oneOf(TOKENIZER_FAMILIES)]));
    })(),
    coverage: {
      models: cov
        .key("models")
        .array()
        .map((m) => ({
          id: m.key("id").string(),
          quant: m.key("quant").string(),
          quantFamily: m.key("quantFamily").string(),
          parameters: m.key("parameters").number({ exclusiveMin: 0 }),
        })),
      promptTokens: cov
        .key("promptTokens")
        .array({ minLength: 2 })
        .map((x) => x.number()) as [number, number],
      genTokens: cov
        .key("genTokens")
        .array({ minLength: 2 })
        .map((x) => x.number()) as [number, number],
    },
    parameterNames: names,
    estimate: vec(root.key("estimate")),
    replicates: root.key("replicates").array().map(vec),
    residualsLog: { latency: lat, energy: en },
    looResidualsLog: { latency: looLat, energy: looEn },
  };
}

export function loadCalibration(path: string): Calibration {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw notFoundError("calibration file not found", {
      file: path,
      cause: e,
      hint: "run `slm-energy calibrate` first, or pass --calibration FILE",
    });
  }
  return parseCalibration(text, path);
}
