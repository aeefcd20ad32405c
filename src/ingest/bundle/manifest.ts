import { readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { SlmError, inputError, notFoundError } from "../../errors.js";
import { BACKENDS } from "../../domain/ids.js";
import { INFERENCE_FORMATS, POWER_FORMATS, type BundleManifestV1 } from "../types.js";

/** The schema id of bundle manifests this version reads. */
export const BUNDLE_SCHEMA = "slm-energy/bundle@1";
export const MANIFEST_NAME = "manifest.json";

const KNOWN_KEYS = [
  "schema",
  "device",
  "backend",
  "power_mode",
  "model",
  "quantization",
  "runtime",
  "benchmark",
  "meter",
  "clock_offset_s",
  "power_interval_ms",
  "files",
  "notes",
  "simulated",
  "power_calibration",
  "run_id",
  "inference_format",
  "accuracy_metric",
  "placement",
  "max_prompt_tokens_per_s",
] as const;
const FILE_KEYS = ["power", "inference", "accuracy", "idle"] as const;

/** A validated manifest with the warnings validation produced (unknown keys, say). */
export interface LoadedManifest {
  manifest: BundleManifestV1;
  runId: string;
  /** Path of manifest.json as reported in messages. */
  file: string;
  warnings: string[];
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Line of the first `"key":` in the text (for error messages); undefined when not found. */
function lineOfKey(text: string, key: string): number | undefined {
  const i = text.search(new RegExp(`"${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"\\s*:`));
  return i < 0 ? undefined : lineAt(text, i);
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) dp[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      dp[i]![j] = Math.min(
        dp[i - 1]![j]! + 1,
        dp[i]![j - 1]! + 1,
        dp[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
  return dp[a.length]![b.length]!;
}

/**
 * Validate a parsed manifest. Every problem is an E_INPUT naming manifest.json, the field (as a
 * path, e.g. `files.power[0]`) and its line. Nullable fields may be left out (read as null);
 * `clock_offset_s` is required as soon as there is a power log, since guessing it would
 * misplace every joule. Unknown keys are reported as warnings (with the closest known key).
 */
export function validateManifest(value: unknown, text: string, file: string, folderName: string): LoadedManifest {
  const fail = (field: string, message: string, hint?: string, found?: unknown): never => {
    const key = field
      .replace(/\[\d+\]$/, "")
      .split(".")
      .pop()!;
    throw inputError(message, {
      file,
      field,
      ...(lineOfKey(text, key) === undefined ? {} : { line: lineOfKey(text, key)! }),
      ...(found === undefined ? {} : { text: JSON.stringify(found) }),
      ...(hint === undefined ? {} : { hint }),
    });
  };
  if (!value || typeof value !== "object" || Array.isArray(value)) fail("(top)", "a manifest must be a JSON object");
  const m = value as Record<string, unknown>;
  const warnings: string[] = [];
  for (const k of Object.keys(m)) {
    if (!(KNOWN_KEYS as readonly string[]).includes(k)) {
      const close = KNOWN_KEYS.filter((kk) => editDistance(kk, k) <= 2);
      warnings.push(`${file}: unknown key "${k}" ignored${close.length ? ` (did you mean "${close[0]}"?)` : ""}`);
    }
  }
  if (m.schema !== BUNDLE_SCHEMA) {
    fail(
      "schema",
      `expected "${BUNDLE_SCHEMA}"`,
      `put "schema": "${BUNDLE_SCHEMA}" at the top of the manifest`,
      m.schema,
    );
  }
  const str = (k: string, required: boolean): string | null => {
    const v = m[k];
    if (v === undefined || v === null) {
      if (required) fail(k, "a value is required", `add "${k}" to the manifest`);
      return null;
    }
    if (typeof v !== "string" || v.trim() === "") return fail(k, "expected a non-empty string", undefined, v);
    return v.trim();
  };
  const numOpt = (k: string, opts: { min?: number; positive?: boolean } = {}): number | undefined => {
    const v = m[k];
    if (v === undefined) return undefined;
    if (typeof v !== "number" || !Number.isFinite(v)) return fail(k, "expected a finite number", undefined, v);
    if (opts.positive && v <= 0) fail(k, "expected a number > 0", undefined, v);
    if (opts.min !== undefined && v < opts.min) fail(k, `expected a number ≥ ${opts.min}`, undefined, v);
    return v;
  };
  const device = str("device", true)!;
  const backend = str("backend", true)!;
  if (!(BACKENDS as readonly string[]).includes(backend))
    fail("backend", `expected one of ${BACKENDS.join(", ")}`, undefined, backend);
  const model = str("model", true)!;
  const runtime = str("runtime", true)!;
  const meter = str("meter", false);
  if (meter !== null && !(POWER_FORMATS as readonly string[]).includes(meter)) {
    fail("meter", `unknown power format`, `use one of ${POWER_FORMATS.join(", ")}, or null to detect it`, meter);
  }
  const inferenceFormat = str("inference_format", false);
  if (inferenceFormat !== null && !(INFERENCE_FORMATS as readonly string[]).includes(inferenceFormat)) {
    fail("inference_format", "unknown inference format", `use one of ${INFERENCE_FORMATS.join(", ")}`, inferenceFormat);
  }

  const files = m.files;
  if (!files || typeof files !== "object" || Array.isArray(files)) {
    return fail(
      "files",
      "expected an object naming the raw files",
      'e.g. "files": {"power": ["tegrastats.log"], "inference": ["inferences.jsonl"]}',
      files,
    );
  }
  const fm = files as Record<string, unknown>;
  for (const k of Object.keys(fm)) {
    if (!(FILE_KEYS as readonly string[]).includes(k))
      fail(`files.${k}`, `unknown kind of file "${k}"`, `use ${FILE_KEYS.join(", ")}`);
  }
  const list = (k: "power" | "inference" | "accuracy"): string[] | undefined => {
    const v = fm[k];
    if (v === undefined) return undefined;
    const arr = typeof v === "string" ? [v] : v;
    if (!Array.isArray(arr)) return fail(`files.${k}`, "expected a list of paths", undefined, v);
    arr.forEach((p, i) => {
      if (typeof p !== "string" || p.trim() === "")
        fail(`files.${k}[${i}]`, "expected a path relative to the bundle", undefined, p);
    });
    return arr as string[];
  };
  const power = list("power");
  const inference = list("inference");
  const accuracy = list("accuracy");
  if (!inference || inference.length === 0) {
    fail(
      "files.inference",
      "a bundle needs at least one inference log",
      'add "inference": ["<log file>"] under "files"',
    );
  }
  let idle: BundleManifestV1["files"]["idle"];
  if (fm.idle !== undefined) {
    const v = fm.idle;
    if (typeof v === "string") idle = v;
    else if (v && typeof v === "object" && !Array.isArray(v)) {
      const w = v as Record<string, unknown>;
      if (typeof w.start_s !== "number" || !Number.isFinite(w.start_s))
        fail("files.idle.start_s", "expected seconds (a finite number)", undefined, w.start_s);
      if (typeof w.end_s !== "number" || !Number.isFinite(w.end_s))
        fail("files.idle.end_s", "expected seconds (a finite number)", undefined, w.end_s);
      if ((w.end_s as number) <= (w.start_s as number))
        fail("files.idle.end_s", "the idle window must end after it starts", undefined, w.end_s);
      idle = { start_s: w.start_s as number, end_s: w.end_s as number };
    } else fail("files.idle", 'expected a path or {"start_s", "end_s"}', undefined, v);
  }

  const clock = numOpt("clock_offset_s");
  if (clock === undefined && power && power.length > 0) {
    fail(
      "clock_offset_s",
      "required when the bundle has a power log",
      "seconds to add to power-log times to put them on the inference log's clock: 0 when both come from the same machine's clock; for a log without timestamps, the epoch second its first sample was taken",
    );
  }
  const interval = numOpt("power_interval_ms", { positive: true });
  const maxRate = numOpt("max_prompt_tokens_per_s", { positive: true });

  let calibration: BundleManifestV1["power_calibration"];
  if (m.power_calibration !== undefined) {
    const c = m.power_calibration as Record<string, unknown>;
    if (!c || typeof c !== "object" || typeof c.gain !== "number" || !Number.isFinite(c.gain) || c.gain <= 0) {
      fail(
        "power_calibration",
        'expected {"gain": > 0, "offset_w": number}',
        "fit true_W = gain × read_W + offset_W against a meter",
        m.power_calibration,
      );
    }
    if (typeof c.offset_w !== "number" || !Number.isFinite(c.offset_w))
      fail("power_calibration.offset_w", "expected watts (a finite number)", undefined, c.offset_w);
    calibration = { gain: c.gain as number, offset_w: c.offset_w as number };
  }
  let placement: BundleManifestV1["placement"];
  if (m.placement !== undefined) {
    const p = m.placement as Record<string, unknown>;
    if (!p || typeof p !== "object" || typeof p.start_s !== "number" || !Number.isFinite(p.start_s)) {
      fail("placement.start_s", "expected epoch seconds where the first inference started", undefined, m.placement);
    }
    if (p.gap_s !== undefined && (typeof p.gap_s !== "number" || !Number.isFinite(p.gap_s) || p.gap_s < 0)) {
      fail("placement.gap_s", "expected seconds ≥ 0 between inferences", undefined, p.gap_s);
    }
    if (
      p.repetitions !== undefined &&
      (typeof p.repetitions !== "number" || !Number.isInteger(p.repetitions) || p.repetitions < 1)
    ) {
      fail("placement.repetitions", "expected a whole number ≥ 1 (llama-bench's -r)", undefined, p.repetitions);
    }
    placement = {
      start_s: p.start_s as number,
      ...(p.gap_s === undefined ? {} : { gap_s: p.gap_s as number }),
      ...(p.repetitions === undefined ? {} : { repetitions: p.repetitions as number }),
    };
  }
  if (m.simulated !== undefined && typeof m.simulated !== "boolean")
    fail("simulated", "expected true or false", undefined, m.simulated);
  if (m.notes !== undefined && typeof m.notes !== "string") fail("notes", "expected text", undefined, m.notes);
  const runId = str("run_id", false) ?? folderName;
  if (!/^[\w.+-]+$/.test(runId)) {
    fail(
      "run_id",
      "a run id may hold letters, digits, '.', '_', '+' and '-' only",
      'set "run_id" in the manifest or rename the folder',
      runId,
    );
  }

  const manifest: BundleManifestV1 = {
    schema: BUNDLE_SCHEMA,
    device,
    backend: backend as BundleManifestV1["backend"],
    power_mode: str("power_mode", false),
    model,
    quantization: str("quantization", false),
    runtime,
    benchmark: str("benchmark", false),
    meter: meter as BundleManifestV1["meter"],
    clock_offset_s: clock ?? 0,
    files: {
      ...(power ? { power } : {}),
      inference: inference!,
      ...(accuracy ? { accuracy } : {}),
      ...(idle === undefined ? {} : { idle }),
    },
    ...(interval === undefined ? {} : { power_interval_ms: interval }),
    ...(typeof m.notes === "string" ? { notes: m.notes } : {}),
    ...(typeof m.simulated === "boolean" ? { simulated: m.simulated } : {}),
    ...(calibration ? { power_calibration: calibration } : {}),
    run_id: runId,
    ...(inferenceFormat ? { inference_format: inferenceFormat as BundleManifestV1["inference_format"] } : {}),
    ...(typeof m.accuracy_metric === "string" ? { accuracy_metric: m.accuracy_metric } : {}),
    ...(placement ? { placement } : {}),
    ...(maxRate === undefined ? {} : { max_prompt_tokens_per_s: maxRate }),
  };
  return { manifest, runId, file, warnings };
}

/** Read and validate `<bundle>/manifest.json` (read-only). */
export function loadManifest(bundleDir: string, displayDir = bundleDir): LoadedManifest {
  const path = join(bundleDir, MANIFEST_NAME);
  const file = join(displayDir, MANIFEST_NAME);
  let text: string;
  try {
    text = readFileSync(path, { encoding: "utf8", flag: "r" });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw notFoundError("no manifest.json in the bundle folder", {
        file,
        hint: "a run bundle is a folder holding manifest.json and its raw files; see `slm-energy ingest --help`",
      });
    }
    throw new SlmError("E_ENV", `cannot read the manifest: ${(e as Error).message}`, { file, cause: e });
  }
  text = text.replace(/^\uFEFF/, "");
  if (text.trim() === "")
    throw inputError("the manifest is empty", { file, hint: "see `slm-energy ingest --help` for its fields" });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    throw inputError(`not valid JSON: ${msg}`, {
      file,
      ...(pos
        ? { line: lineAt(text, Number(pos[1])), text: text.split(/\r?\n/)[lineAt(text, Number(pos[1])) - 1] ?? "" }
        : {}),
      hint: "check commas and quotes near that line",
    });
  }
  return validateManifest(value, text, file, basename(resolve(bundleDir)));
}
