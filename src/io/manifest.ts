import { lstatSync, readFileSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { z } from "zod";
import { SlmError, inputError, notFoundError } from "../errors.js";
import { BACKENDS } from "../domain/ids.js";
import { INFERENCE_FORMATS, POWER_FORMATS, type BundleManifestV1 } from "../ingest/types.js";
import { resolveInsideBundle } from "./bundle/paths.js";
import { readError } from "./files.js";
import { decodeJson, parseJsonDocument, type JsonDocument } from "./json.js";
import { didYouMean } from "./suggest.js";

/**
 * `manifest.json` of a run bundle. Every bad field is reported at once, each with its line; nullable
 * fields may be left out (read as null); `clock_offset_s` is required as soon as there is a power
 * log, since guessing it would misplace every joule. Unknown keys are warnings, with the closest
 * known key.
 */

/** The schema id of bundle manifests this version reads. */
export const BUNDLE_SCHEMA = "slm-energy/bundle@1";
export const MANIFEST_NAME = "manifest.json";

/** A validated manifest with the warnings validation produced (unknown keys, say). */
export interface LoadedManifest {
  manifest: BundleManifestV1;
  runId: string;
  /** Path of manifest.json as reported in messages. */
  file: string;
  warnings: string[];
}

type Ctx = z.RefinementCtx;

const issue = (ctx: Ctx, message: string, hint?: string, path: PropertyKey[] = []) =>
  ctx.addIssue({ code: "custom", message, path, ...(hint === undefined ? {} : { params: { hint } }) });

/** Re-raises the issues of a nested parse inside a transform, under the transform's path. */
function forward(ctx: Ctx, issues: readonly z.core.$ZodIssue[]): void {
  for (const i of issues) issue(ctx, i.message, (i as { params?: { hint?: string } }).params?.hint, [...i.path]);
}

interface TextRule<T extends string> {
  /** The allowed values, when there is a list. */
  values?: readonly T[];
  message?: string;
  hint?: string;
}

/** A trimmed non-empty string (one of `rule.values` when given); null when missing and not required. */
function readText<T extends string>(v: unknown, ctx: Ctx, key: string, required: boolean, rule: TextRule<T>) {
  if (v === undefined || v === null) {
    if (required) issue(ctx, "a value is required", `add "${key}" to the manifest`);
    return null;
  }
  if (typeof v !== "string" || v.trim() === "") return (issue(ctx, "expected a non-empty string"), null);
  const t = v.trim();
  if (rule.values !== undefined && !(rule.values as readonly string[]).includes(t)) {
    issue(ctx, rule.message ?? `expected one of ${rule.values.join(", ")}`, rule.hint);
  }
  return t as T;
}

const requiredText = <T extends string = string>(key: string, rule: TextRule<T> = {}) =>
  z
    .unknown()
    .optional()
    .transform((v, ctx) => readText(v, ctx, key, true, rule) as T);
const optionalText = <T extends string = string>(key: string, rule: TextRule<T> = {}) =>
  z
    .unknown()
    .optional()
    .transform((v, ctx) => readText(v, ctx, key, false, rule));

const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** A finite number passing `ok`, else an issue saying `message`. */
const number = (message: string, ok: (v: number) => boolean = () => true, hint?: string) =>
  z.custom<number>((v) => isNumber(v) && ok(v), {
    error: message,
    ...(hint === undefined ? {} : { params: { hint } }),
  });

/**
 * The largest time in seconds a manifest may give (|t|): 1e10 s is the year 2286 as epoch
 * seconds, where a double still resolves microseconds. Beyond it a log's own times vanish in
 * the sum (1e308 + 0.1 = 1e308), and every reading would seem to repeat the one before.
 */
export const MAX_MANIFEST_TIME_S = 1e10;
const TIME_RANGE = `between -${MAX_MANIFEST_TIME_S} and ${MAX_MANIFEST_TIME_S} (epoch seconds up to the year 2286)`;
const isTime = (v: number) => Math.abs(v) <= MAX_MANIFEST_TIME_S;

/** A path, or a list of paths, relative to the bundle; `required` says what to do when there is none. */
const pathList = (required?: { message: string; hint: string }) =>
  z
    .unknown()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || (required && Array.isArray(v) && v.length === 0)) {
        if (required) issue(ctx, required.message, required.hint);
        return undefined;
      }
      const list: unknown = typeof v === "string" ? [v] : v;
      if (!Array.isArray(list)) return (issue(ctx, "expected a list of paths"), undefined);
      list.forEach((p, i) => {
        if (typeof p !== "string" || p.trim() === "")
          issue(ctx, "expected a path relative to the bundle", undefined, [i]);
      });
      return list as string[];
    });

/** A list of at least `min` non-empty names (rails, columns); undefined when absent. */
const nameList = (key: string, min: number, hint: string) =>
  z
    .unknown()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === null) return undefined;
      if (!Array.isArray(v) || v.length < min || v.some((x) => typeof x !== "string" || x.trim() === "")) {
        issue(ctx, `expected a list of ${min} name(s) or more`, `"${key}": ${hint}`);
        return undefined;
      }
      return (v as string[]).map((x) => x.trim());
    });

const IdleWindowSchema = z
  .object({
    start_s: number(`expected seconds ${TIME_RANGE}`, isTime),
    end_s: number(`expected seconds ${TIME_RANGE}`, isTime),
  })
  .superRefine((w, ctx) => {
    if (w.end_s <= w.start_s) issue(ctx, "the idle window must end after it starts", undefined, ["end_s"]);
  });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** An idle power log, or a window inside the power logs (seconds on the inference log's clock). */
const idle = z
  .unknown()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || typeof v === "string") return v;
    if (!isObject(v)) return (issue(ctx, 'expected a path or {"start_s", "end_s"}'), undefined);
    const r = IdleWindowSchema.safeParse(v);
    if (!r.success) return (forward(ctx, r.error.issues), undefined);
    return r.data;
  });

const FilesSchema = z.object({
  power: pathList(),
  inference: pathList({
    message: "a bundle needs at least one inference log",
    hint: 'add "inference": ["<log file>"] under "files"',
  }),
  accuracy: pathList(),
  idle,
});
const FILE_KEYS = Object.keys(FilesSchema.shape);

/** `files`: an object of the four kinds of file, each unknown kind an issue of its own. */
const files = z
  .unknown()
  .optional()
  .transform((v, ctx) => {
    if (!isObject(v)) {
      issue(
        ctx,
        "expected an object naming the raw files",
        'e.g. "files": {"power": ["tegrastats.log"], "inference": ["inferences.jsonl"]}',
      );
      return z.NEVER;
    }
    for (const k of Object.keys(v).filter((k) => !FILE_KEYS.includes(k))) {
      issue(ctx, `unknown kind of file "${k}"${didYouMean(k, FILE_KEYS)}`, `use ${FILE_KEYS.join(", ")}`, [k]);
    }
    const r = FilesSchema.safeParse(v);
    if (!r.success) return (forward(ctx, r.error.issues), z.NEVER);
    return r.data;
  });

const GRID_HINT =
  "the grid's carbon intensity the run's CO2e is computed at (measure --grid-intensity G or --region CODE)";
const CALIBRATION_HINT = "fit true_W = gain × read_W + offset_W against a meter";
const CLOCK_HINT =
  "seconds to add to power-log times to put them on the inference log's clock: 0 when both come from the " +
  "same machine's clock; for a log without timestamps, the epoch second its first sample was taken";

/** Every key a manifest may hold, in the order the reference documents them. */
const ManifestFieldsSchema = z.object(
  {
    schema: z.custom<typeof BUNDLE_SCHEMA>((v) => v === BUNDLE_SCHEMA, {
      error: `expected "${BUNDLE_SCHEMA}"`,
      params: { hint: `put "schema": "${BUNDLE_SCHEMA}" at the top of the manifest` },
    }),
    device: requiredText("device"),
    backend: requiredText("backend", { values: BACKENDS }),
    power_mode: optionalText("power_mode"),
    model: requiredText("model"),
    quantization: optionalText("quantization"),
    runtime: requiredText("runtime"),
    benchmark: optionalText("benchmark"),
    meter: optionalText("meter", {
      values: POWER_FORMATS,
      message: "unknown power format",
      hint: `use one of ${POWER_FORMATS.join(", ")}, or null to detect it`,
    }),
    clock_offset_s: number(`expected seconds ${TIME_RANGE}`, isTime, CLOCK_HINT).optional(),
    power_interval_ms: number("expected a number > 0", (v) => v > 0).optional(),
    input_rail: optionalText("input_rail"),
    sum_rails: nameList("sum_rails", 2, 'the supplies whose sum is the total, e.g. ["GPU", "CPU", "SOC"]'),
    power_columns: nameList("power_columns", 1, 'the columns of a headerless power CSV, e.g. ["time_s", "power_w"]'),
    files,
    notes: z.custom<string>((v) => typeof v === "string", { error: "expected text" }).optional(),
    simulated: z.custom<boolean>((v) => typeof v === "boolean", { error: "expected true or false" }).optional(),
    power_calibration: z
      .object(
        {
          gain: number("expected a gain > 0", (v) => v > 0, CALIBRATION_HINT),
          offset_w: number("expected watts (a finite number)"),
        },
        { error: 'expected {"gain": > 0, "offset_w": number}' },
      )
      .optional(),
    run_id: optionalText("run_id"),
    inference_format: optionalText("inference_format", {
      values: INFERENCE_FORMATS,
      message: "unknown inference format",
      hint: `use one of ${INFERENCE_FORMATS.join(", ")}`,
    }),
    accuracy_metric: z.custom<string>((v) => typeof v === "string", { error: "expected text" }).optional(),
    placement: z
      .object(
        {
          start_s: number(`expected epoch seconds where the first inference started, ${TIME_RANGE}`, isTime),
          gap_s: number("expected seconds ≥ 0 between inferences", (v) => v >= 0).optional(),
          repetitions: number(
            "expected a whole number ≥ 1 (llama-bench's -r)",
            (v) => Number.isInteger(v) && v >= 1,
          ).optional(),
        },
        { error: 'expected {"start_s", "gap_s", "repetitions"}' },
      )
      .optional(),
    max_prompt_tokens_per_s: number("expected a number > 0", (v) => v > 0).optional(),
    grid_intensity: z
      .object(
        {
          g_co2e_per_kwh: number("expected gCO2e/kWh (a number ≥ 0)", (v) => v >= 0, GRID_HINT),
          region: z.custom<string | null>((v) => v === null || typeof v === "string").optional(),
          year: z.custom<number | null>((v) => v === null || (isNumber(v) && Number.isInteger(v))).optional(),
          source: z.custom<string>((v) => typeof v === "string", { error: "expected text" }).optional(),
          source_url: z.custom<string | null>((v) => v === null || typeof v === "string").optional(),
        },
        { error: 'expected {"g_co2e_per_kwh", "region", "year", "source", "source_url"}' },
      )
      .optional(),
  },
  { error: "a manifest must be a JSON object" },
);
type ManifestFields = z.output<typeof ManifestFieldsSchema>;
const KNOWN_KEYS = Object.keys(ManifestFieldsSchema.shape);

/** A safe slug: it names output rows and files, so no leading dot ("." and ".." included). */
const RUN_ID = /^[\w+-][\w.+-]*$/;

/** What no single field can say: a power log needs its clock offset; the run id is usable. */
function checkManifest(m: ManifestFields, ctx: Ctx, folderName: string): void {
  if (m.power_columns !== undefined && m.meter !== null && m.meter !== "usb-csv") {
    const hint = 'power_columns name the columns of a power CSV without a header: set "meter" to "usb-csv" or null';
    issue(ctx, `power_columns apply to usb-csv logs, not ${m.meter}`, hint, ["power_columns"]);
  }
  if (m.input_rail !== null && m.sum_rails !== undefined) {
    const hint = "an input rail is the total by itself; a sum adds separate supplies: keep one";
    issue(ctx, "give input_rail or sum_rails, not both", hint, ["sum_rails"]);
  }
  if (m.clock_offset_s === undefined && (m.files.power?.length ?? 0) > 0) {
    issue(ctx, "required when the bundle has a power log", CLOCK_HINT, ["clock_offset_s"]);
  }
  const runId = m.run_id ?? folderName;
  if (!RUN_ID.test(runId)) {
    const from = m.run_id === null ? ` (the folder name "${runId}" is the run id when run_id is absent)` : "";
    issue(
      ctx,
      `a run id may hold letters, digits, '.', '_', '+' and '-' only, and not start with '.'${from}`,
      RUN_ID_HINT,
      ["run_id"],
    );
  }
}
const RUN_ID_HINT = 'set "run_id" in the manifest or rename the folder';

/** The manifest as the ingest stages use it: defaults filled in, absent optional fields left out. */
function toManifest(m: ManifestFields, folderName: string) {
  const { power, inference, accuracy, idle: idleLog } = m.files;
  return {
    schema: m.schema,
    device: m.device,
    backend: m.backend,
    power_mode: m.power_mode,
    model: m.model,
    quantization: m.quantization,
    runtime: m.runtime,
    benchmark: m.benchmark,
    meter: m.meter,
    clock_offset_s: m.clock_offset_s ?? 0,
    files: {
      ...(power ? { power } : {}),
      inference: inference ?? [],
      ...(accuracy ? { accuracy } : {}),
      ...(idleLog === undefined ? {} : { idle: idleLog }),
    },
    ...(m.power_interval_ms === undefined ? {} : { power_interval_ms: m.power_interval_ms }),
    ...(m.input_rail === null ? {} : { input_rail: m.input_rail }),
    ...(m.sum_rails === undefined ? {} : { sum_rails: m.sum_rails }),
    ...(m.power_columns === undefined ? {} : { power_columns: m.power_columns }),
    ...(m.notes === undefined ? {} : { notes: m.notes }),
    ...(m.simulated === undefined ? {} : { simulated: m.simulated }),
    ...(m.power_calibration ? { power_calibration: m.power_calibration } : {}),
    run_id: m.run_id ?? folderName,
    ...(m.inference_format ? { inference_format: m.inference_format } : {}),
    ...(m.accuracy_metric === undefined ? {} : { accuracy_metric: m.accuracy_metric }),
    ...(m.placement ? { placement: m.placement } : {}),
    ...(m.max_prompt_tokens_per_s === undefined ? {} : { max_prompt_tokens_per_s: m.max_prompt_tokens_per_s }),
    ...(m.grid_intensity ? { grid_intensity: m.grid_intensity } : {}),
  };
}

/** The manifest schema for a bundle in folder `folderName` (the run id when the manifest names none). */
export function manifestSchema(folderName: string) {
  return ManifestFieldsSchema.superRefine((m, ctx) => checkManifest(m, ctx, folderName)).transform((m) =>
    toManifest(m, folderName),
  );
}

/** The validated manifest's type, inferred from its schema. */
export type BundleManifest = z.output<ReturnType<typeof manifestSchema>>;

/** Warnings for top-level keys the manifest does not know, with the closest known key. */
function unknownKeyWarnings(value: unknown, file: string): string[] {
  if (!isObject(value)) return [];
  return Object.keys(value)
    .filter((k) => !KNOWN_KEYS.includes(k))
    .map((k) => `${file}: unknown key "${k}" ignored${didYouMean(k, KNOWN_KEYS)}`);
}

/** Validates a parsed manifest document; every bad field is part of one input error. */
export function decodeManifest(doc: JsonDocument, folderName: string): LoadedManifest {
  const warnings = unknownKeyWarnings(doc.value, doc.file);
  const manifest: BundleManifestV1 = decodeJson(manifestSchema(folderName), doc);
  return { manifest, runId: manifest.run_id ?? folderName, file: doc.file, warnings };
}

/** Validate a manifest's `text` (named `file` in errors) for a bundle in folder `folderName`. */
export function validateManifest(text: string, file: string, folderName: string): LoadedManifest {
  if (text.replace(/^\uFEFF/, "").trim() === "") {
    throw inputError("the manifest is empty", { file, hint: "see `slm-energy ingest --help` for its fields" });
  }
  return decodeManifest(parseJsonDocument(text, file), folderName);
}

/** The largest manifest read (a manifest is a few hundred bytes; anything near this is not one). */
export const MAX_MANIFEST_BYTES = 1024 * 1024;

/**
 * Where `<bundle>/manifest.json` really is, by the rule of every bundle file: a symbolic link out
 * of the bundle, a folder or a device is refused before anything is read from it.
 */
function manifestPath(bundleDir: string, file: string): string {
  const missing = () =>
    notFoundError("no manifest.json in the bundle folder", {
      file,
      hint: "a run bundle is a folder holding manifest.json and its raw files; see `slm-energy ingest --help`",
    });
  let dirOk: boolean;
  try {
    dirOk = statSync(bundleDir).isDirectory();
  } catch {
    dirOk = false;
  }
  if (!dirOk) throw missing();
  try {
    lstatSync(join(bundleDir, MANIFEST_NAME));
  } catch {
    throw missing();
  }
  return resolveInsideBundle(bundleDir, MANIFEST_NAME, { file, field: "manifest.json" });
}

/** Read and validate `<bundle>/manifest.json` (read-only). */
export function loadManifest(bundleDir: string, displayDir = bundleDir): LoadedManifest {
  const file = join(displayDir, MANIFEST_NAME);
  const path = manifestPath(bundleDir, file);
  const size = statSync(path).size;
  if (size > MAX_MANIFEST_BYTES) {
    throw inputError(`the manifest is ${size} bytes, over the ${MAX_MANIFEST_BYTES}-byte limit`, {
      file,
      hint: "a manifest holds a few fields and file names; check that this is the bundle's manifest.json",
    });
  }
  let text: string;
  try {
    text = readFileSync(path, { encoding: "utf8", flag: "r" });
  } catch (e) {
    const err = readError(e, file, "manifest");
    if (err instanceof SlmError) throw err;
    throw new SlmError("E_ENV", `cannot read the manifest: ${(e as Error).message}`, { file, cause: e });
  }
  return validateManifest(text, file, basename(resolve(bundleDir)));
}
