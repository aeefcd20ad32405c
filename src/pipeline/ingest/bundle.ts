import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { SlmError, inputError } from "../../errors.js";
import { integrateChannels, type IdleSource } from "../../ingest/bundle/channels.js";
import { loadManifest, MANIFEST_NAME } from "../../ingest/bundle/manifest.js";
import { placeWindows, type PlacedRun } from "../../ingest/bundle/place.js";
import type { BundleFile, BundleResult, LoadedBundle } from "../../ingest/bundle/result.js";
import { buildRows } from "../../ingest/bundle/rows.js";
import { aggregateBundleRun, type AccuracyFiles, type PowerFiles } from "../../ingest/bundle/run.js";
import { totalEnergy } from "../../ingest/energy/total.js";
import { resolveInferenceFormat } from "../../ingest/inference/read.js";
import { detectPowerFormat } from "../../ingest/power/detect.js";
import type { ReadPowerOptions } from "../../ingest/power/read.js";
import type { IngestWarning, InferenceFormat, InferenceRecord, QuarantineEntry } from "../../ingest/types.js";
import { runWarning } from "../../ingest/warnings.js";
import { readLmEvalResults } from "../../io/accuracy/lm-eval.js";
import { resolveInsideBundle, sha256File } from "../../io/bundle/paths.js";
import { readHead } from "../../io/inference/read-lines.js";
import { readInferenceLog } from "../../io/inference/read.js";
import { readPowerHead, readPowerLog } from "../../io/power/read.js";
import { planSplit } from "../../io/power/blocks.js";
import { SplitChannel, type BlockRunner } from "../../io/power/split-read.js";
import { BLOCK_BYTES, type BlockTask } from "../../ingest/power/split.js";
import { IngestPool, workersAvailable } from "./pool.js";

/**
 * Ingesting a run bundle, as its stages: load bundle → place windows → integrate channels →
 * build rows → aggregate run. This module does the reading (manifest, inference logs, one
 * streaming pass per power file that also hashes it, accuracy files); the stages in ingest/bundle
 * are pure.
 */

export type { BundleResult } from "../../ingest/bundle/result.js";

const posix = (p: string): string => p.replace(/\\/g, "/").replace(/^\.\//, "");

/** Every path of the manifest, resolved inside the bundle: nothing is read before all are known to be safe. */
function bundleFiles(
  dir: string,
  runId: string,
  manifestPath: string,
  m: LoadedBundle["manifest"],
): LoadedBundle["files"] {
  const file = (rel: string, field: string): BundleFile => ({
    rel,
    name: `${runId}/${posix(rel)}`,
    path: resolveInsideBundle(dir, rel, { file: manifestPath, field }),
  });
  const all = (rels: readonly string[] | undefined, field: string) =>
    (rels ?? []).map((rel, i) => file(rel, `${field}[${i}]`));
  const files = {
    inference: all(m.files.inference, "files.inference"),
    power: all(m.files.power, "files.power"),
    accuracy: all(m.files.accuracy, "files.accuracy"),
    idle: typeof m.files.idle === "string" ? file(m.files.idle, "files.idle") : null,
  };
  refuseRepeats(files, manifestPath);
  return files;
}

/**
 * One raw file named twice ("a.csv" and "./a.csv", or through a link inside the bundle) would
 * count its joules twice, or make the power log its own idle baseline: refused by real path.
 */
function refuseRepeats(files: LoadedBundle["files"], manifestPath: string): void {
  const entries: { field: string; rel: string; path: string }[] = [];
  for (const kind of ["inference", "power", "accuracy"] as const) {
    files[kind].forEach((f, i) => entries.push({ field: `files.${kind}[${i}]`, rel: f.rel, path: f.path }));
  }
  if (files.idle) entries.push({ field: "files.idle", rel: files.idle.rel, path: files.idle.path });
  const seen = new Map<string, { field: string; rel: string }>();
  const issues: { message: string; field: string; text: string; hint: string }[] = [];
  for (const e of entries) {
    const first = seen.get(e.path);
    if (first === undefined) {
      seen.set(e.path, e);
      continue;
    }
    issues.push({
      message: `the same file as ${first.field} ("${first.rel}")`,
      field: e.field,
      text: e.rel,
      hint: "name each raw file once: a file listed twice counts twice",
    });
  }
  if (issues.length === 0) return;
  const [head, ...rest] = issues;
  throw new SlmError("E_INPUT", head!.message, {
    file: manifestPath,
    field: head!.field,
    text: head!.text,
    hint: head!.hint,
    issues: rest.map((i) => ({ ...i, file: manifestPath })),
  });
}

/** The quarantined rows behind a failed ingest, by error (the CLI writes them out). */
const FAILED_QUARANTINE = new WeakMap<object, readonly QuarantineEntry[]>();

/** The rows an ingest error quarantined before it gave up (empty for other errors). */
export function quarantinedBefore(e: unknown): readonly QuarantineEntry[] {
  return typeof e === "object" && e !== null ? (FAILED_QUARANTINE.get(e) ?? []) : [];
}

/**
 * An inference log that gave no record: the first quarantined line with its reason in the
 * message (the rows themselves are kept for `quarantinedBefore`, which the CLI writes out).
 */
function noRecordsError(file: string, quarantined: readonly QuarantineEntry[]): SlmError {
  const first = quarantined[0];
  const why = first === undefined ? "" : `; the first, line ${first.line}: ${first.reason}`;
  const e = inputError(`no inference records in this file (${quarantined.length} line(s) quarantined${why})`, {
    file,
    ...(first === undefined ? {} : { line: first.line, text: first.text }),
    hint:
      "check that this is the run's inference log and that its format is the one the manifest says " +
      '("inference_format"); fix or remove the quarantined lines',
  });
  FAILED_QUARANTINE.set(e, quarantined);
  return e;
}

/** The records of every inference log, in file order; a log without any is fatal. */
async function readInferences(b: LoadedBundle): Promise<void> {
  const m = b.manifest;
  const onQuarantine = (e: QuarantineEntry) => void b.quarantined.push(e);
  const onWarning = (w: IngestWarning) => void b.warnings.push(w);
  for (const [i, f] of b.files.inference.entries()) {
    const before = b.records.length;
    const qBefore = b.quarantined.length;
    const format: InferenceFormat = resolveInferenceFormat(
      await readHead(f.path, undefined, f.name),
      f.name,
      m.inference_format,
    );
    b.inferenceFormats.push(format);
    const log = readInferenceLog(f.path, {
      displayName: f.name,
      onQuarantine,
      onWarning,
      format,
      onSha256: (hex) => void b.sha256.set(f.name, hex),
      ...(m.max_prompt_tokens_per_s ? { maxPromptTokensPerS: m.max_prompt_tokens_per_s } : {}),
    });
    for await (const record of log) b.records.push({ record: record satisfies InferenceRecord, file: i });
    if (b.records.length === before) throw noRecordsError(f.name, b.quarantined.slice(qBefore));
  }
}

/**
 * Stage 1, load bundle: manifest, safe paths, inference records (each inference log read once,
 * hashed as it streams, after a look at its head for the format) and the accuracy files' sha256.
 */
export async function loadBundle(bundleDir: string): Promise<LoadedBundle> {
  const dir = resolve(bundleDir);
  const loaded = loadManifest(dir, bundleDir);
  const runId = loaded.runId;
  const manifestFile = `${runId}/${MANIFEST_NAME}`;
  const files = bundleFiles(dir, runId, loaded.file, loaded.manifest);
  const sha256 = new Map<string, string>();
  for (const f of files.accuracy) sha256.set(f.name, await sha256File(f.path));
  const warnings: IngestWarning[] = loaded.warnings.map((w) =>
    runWarning(manifestFile, { code: "manifest", message: w.replace(/^[^:]*: /, "") }),
  );
  const b: LoadedBundle = {
    runId,
    dir,
    manifest: loaded.manifest,
    manifestFile,
    manifestPath: loaded.file,
    files,
    records: [],
    inferenceFormats: [],
    sha256,
    quarantined: [],
    warnings,
  };
  await readInferences(b);
  return b;
}

/** A file that is not what the manifest says is fatal, not a pile of quarantined lines. */
async function checkMeter(b: LoadedBundle): Promise<void> {
  const meter = b.manifest.meter;
  if (!meter) return;
  for (const f of [...b.files.power, ...(b.files.idle ? [b.files.idle] : [])]) {
    const looks = detectPowerFormat(await readPowerHead(f.path));
    if (looks !== null && looks !== meter) {
      throw inputError(`the manifest says the power logs are ${meter}, but this file looks like ${looks}`, {
        file: f.name,
        field: "meter",
        hint: `fix "meter" in ${b.manifestFile}, or check that this is the right file`,
      });
    }
  }
}

/** The idle baseline's source: the idle log's mean power (read here), a segment of the power logs, or none. */
async function idleSource(
  b: LoadedBundle,
  opts: ReadPowerOptions,
  out: { quarantined: QuarantineEntry[]; warnings: IngestWarning[]; idleSha256: string | null },
): Promise<IdleSource> {
  const m = b.manifest;
  const idleFile = b.files.idle;
  if (idleFile) {
    const log = readPowerLog(idleFile.path, {
      ...opts,
      onQuarantine: (e) => out.quarantined.push({ ...e, file: idleFile.name }),
    });
    const t = await totalEnergy(log, m.power_calibration ? { calibration: calibrationOf(b) } : {});
    out.idleSha256 = log.sha256;
    if (t.meanPowerW === null)
      throw inputError("the idle log has a single reading: no idle power", {
        file: idleFile.name,
        hint: "record at least a few seconds of idle",
      });
    return { kind: "log", powerW: t.meanPowerW };
  }
  if (m.files.idle && typeof m.files.idle === "object")
    return { kind: "segment", startS: m.files.idle.start_s, endS: m.files.idle.end_s };
  const message = "no idle segment (files.idle): net energy not computed";
  out.warnings.push(runWarning(b.manifestFile, { code: "no-idle", message }));
  return null;
}

const calibrationOf = (b: LoadedBundle) => ({
  gain: b.manifest.power_calibration!.gain,
  offsetW: b.manifest.power_calibration!.offset_w,
});

/** `--input-rail` / `--sum-rails` given to `ingest`: they replace the manifests' input_rail / sum_rails. */
export interface PowerTotalOverrides {
  inputRail?: string;
  sumRails?: readonly string[];
  /**
   * Where the blocks of a large power file are read (a worker pool, see split.ts); without it
   * they are read here, in order. Either way the result is the same.
   */
  blockRunner?: BlockRunner;
}

/** How the power logs' total is taken: the command line's choice, else the manifest's, else detected. */
function totalOptions(
  m: LoadedBundle["manifest"],
  o: PowerTotalOverrides,
): Pick<PowerTotalOverrides, "inputRail" | "sumRails"> {
  if (o.inputRail !== undefined) return { inputRail: o.inputRail };
  if (o.sumRails !== undefined) return { sumRails: o.sumRails };
  if (m.input_rail !== undefined) return { inputRail: m.input_rail };
  return m.sum_rails === undefined ? {} : { sumRails: m.sum_rails };
}

/**
 * Stage 3's reading: each power file streamed once (quarantining bad readings, hashing its bytes)
 * into the channel integration; the idle log, when there is one, once more.
 */
export async function measurePower(
  b: LoadedBundle,
  placed: PlacedRun,
  overrides: PowerTotalOverrides = {},
): Promise<PowerFiles> {
  const m = b.manifest;
  const out: PowerFiles = { energy: null, formats: [], sha256: [], idleSha256: null, quarantined: [], warnings: [] };
  await checkMeter(b);
  const { power, idle } = b.files;
  if (idle && power.length > 1) {
    throw inputError("an idle log file can only serve a bundle with one power log", {
      file: b.manifestPath,
      field: "files.idle",
      hint: 'give the idle segment as a window inside the power logs: "idle": {"start_s": …, "end_s": …}',
    });
  }
  if (power.length === 0) return withoutPower(b, out);
  const opts: ReadPowerOptions = {
    hash: true,
    ...(m.meter ? { format: m.meter } : {}),
    ...(m.power_interval_ms ? { intervalMs: m.power_interval_ms } : {}),
    ...totalOptions(m, overrides),
    ...(m.power_columns ? { columns: m.power_columns } : {}),
  };
  const idleOf = await idleSource(b, opts, out);
  // Quarantine entries name the file as the bundle does, so that the tables do not depend on where it lies.
  const logs = await Promise.all(
    power.map(async (f) => {
      const onQuarantine = (e: QuarantineEntry) => void out.quarantined.push({ ...e, file: f.name });
      const plan = await planSplit(f.path, opts);
      if (plan === null) return readPowerLog(f.path, { ...opts, onQuarantine });
      return new SplitChannel(plan, { runner: overrides.blockRunner ?? null, onQuarantine });
    }),
  );
  out.energy = await integrateChannels(logs, placed, {
    clockOffsetS: m.clock_offset_s,
    ...(m.power_calibration ? { calibration: calibrationOf(b) } : {}),
    idle: idleOf,
    names: power.map((f) => f.name),
    quarantined: () => out.quarantined,
  });
  out.formats = logs.map((l) => l.format);
  out.totalRules = logs.map((l) => l.summary?.totalRule ?? null);
  out.sha256 = logs.map((l) => l.sha256!);
  return out;
}

/** A bundle without power logs: timings only (its idle log, if any, is hashed, not read). */
async function withoutPower(b: LoadedBundle, out: PowerFiles): Promise<PowerFiles> {
  out.warnings.push(
    runWarning(b.manifestFile, {
      code: "no-power",
      message: "no power log in the bundle (files.power): timings only, energy not measured",
    }),
  );
  if (b.manifest.files.idle !== undefined) {
    const message = "files.idle ignored: there is no power log to subtract it from";
    out.warnings.push(runWarning(b.manifestFile, { code: "idle-ignored", message }));
  }
  if (b.files.idle) out.idleSha256 = await sha256File(b.files.idle.path);
  return out;
}

/** The accuracy files' figures, in file order. */
export async function readAccuracy(b: LoadedBundle): Promise<AccuracyFiles> {
  const out: AccuracyFiles = { results: [], quarantined: [], warnings: [] };
  for (const f of b.files.accuracy) {
    const p = await readLmEvalResults(f.path, { displayName: f.name });
    out.results.push(...p.results);
    out.quarantined.push(...p.quarantined);
    out.warnings.push(...p.warnings);
  }
  return out;
}

/**
 * Ingest one run bundle: validate its manifest, check every path stays inside the bundle, read
 * its inference, power and accuracy files (read-only, streaming) and compute each inference's
 * energy over its window and the run's metrics. Row-level problems are quarantined and warned
 * about; fatal ones throw an SlmError naming file, line and field.
 */
export async function ingestBundle(bundleDir: string, overrides: PowerTotalOverrides = {}): Promise<BundleResult> {
  const bundle = await loadBundle(bundleDir);
  const placed = placeWindows(bundle);
  const power = await measurePower(bundle, placed, overrides);
  const rows = buildRows(bundle, placed, power.energy, power.sha256);
  const accuracy = await readAccuracy(bundle);
  return aggregateBundleRun(bundle, placed, power, rows, accuracy);
}

/** How `ingestBundles` spreads its work. */
export interface IngestJobs {
  /**
   * Worker threads: 1 (default) ingests here, in order; N > 1 ingests each bundle on a pool of
   * N workers and reads large power files in blocks across them. The result is the same.
   */
  jobs?: number;
}

/** Whether a bundle has a power log large enough to be read in blocks (then its blocks go to the pool). */
function hasLargePowerLog(dir: string): boolean {
  try {
    const loaded = loadManifest(resolve(dir), dir);
    const files = bundleFiles(resolve(dir), loaded.runId, loaded.file, loaded.manifest);
    return files.power.some((f) => existsSync(f.path) && statSync(f.path).size > BLOCK_BYTES);
  } catch {
    return false; // the worker reports the problem
  }
}

/** Each bundle on the pool, or here with its blocks on the pool (results awaited in order by the caller). */
function ingestOnPool(
  dirs: readonly string[],
  overrides: PowerTotalOverrides,
  pool: IngestPool,
): Promise<BundleResult>[] {
  const plain = {
    ...(overrides.inputRail === undefined ? {} : { inputRail: overrides.inputRail }),
    ...(overrides.sumRails === undefined ? {} : { sumRails: overrides.sumRails }),
  };
  const blockRunner = (t: BlockTask) => pool.block(t);
  const pending = dirs.map((d) =>
    hasLargePowerLog(d) ? ingestBundle(d, { ...plain, blockRunner }) : pool.bundle(d, plain),
  );
  for (const p of pending) p.catch(() => undefined); // awaited in order, the first error is the one reported
  return pending;
}

/** Ingest several bundles; their run ids must differ. */
export async function ingestBundles(
  dirs: readonly string[],
  overrides: PowerTotalOverrides = {},
  options: IngestJobs = {},
): Promise<BundleResult[]> {
  const jobs = Math.max(1, Math.floor(options.jobs ?? 1));
  // One bundle without a large power log is one task: a pool would only add a thread's start.
  const worthIt = dirs.length > 1 || (dirs.length === 1 && hasLargePowerLog(dirs[0]!));
  const pool =
    jobs > 1 && worthIt && workersAvailable()
      ? new IngestPool(jobs, (e, rows) => void FAILED_QUARANTINE.set(e, rows))
      : null;
  try {
    const pending = pool === null ? null : ingestOnPool(dirs, overrides, pool);
    const out: BundleResult[] = [];
    const seen = new Map<string, string>();
    for (const [i, d] of dirs.entries()) {
      const r = pending === null ? await ingestBundle(d, overrides) : await pending[i]!;
      const other = seen.get(r.runId);
      if (other !== undefined) {
        throw inputError(`run id "${r.runId}" of ${d} is already used by ${other}`, {
          file: join(d, MANIFEST_NAME),
          field: "run_id",
          hint: "give each bundle its own run_id (or folder name)",
        });
      }
      seen.set(r.runId, d);
      out.push(r);
    }
    return out.sort((a, b) => (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0));
  } finally {
    await pool?.close();
  }
}
