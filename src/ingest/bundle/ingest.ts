import { join, resolve } from "node:path";
import { inputError } from "../../errors.js";
import { aggregateRun, type InferenceMeasurement, type RunMetrics } from "../../metrics/aggregate.js";
import { jToWh } from "../../metrics/units.js";
import { benchmarkAccuracyPct, readLmEvalResults } from "../accuracy/lm-eval.js";
import { integrateWindows, type WindowEnergy } from "../energy/integrate.js";
import { idleBaselineW } from "../energy/idle.js";
import { totalEnergy } from "../energy/total.js";
import type { PowerCalibration } from "../energy/calibration.js";
import { readInferenceLog, resolveInferenceFormat } from "../inference/read.js";
import { readHead } from "../inference/read-lines.js";
import { readPowerHead, readPowerLog } from "../power/read.js";
import { detectPowerFormat } from "../power/detect.js";
import type {
  AccuracyResult,
  BundleManifestV1,
  InferenceFormat,
  InferenceRecord,
  IngestWarning,
  QuarantineEntry,
} from "../types.js";
import { loadManifest, MANIFEST_NAME } from "./manifest.js";
import { resolveInsideBundle, sha256File } from "./paths.js";
import { TrackedPowerFile, type LineSpan } from "./power-source.js";
import { inferenceWindows, recordLatencyS, type PlacedWindow } from "./windows.js";

/** Share of an inference's window the power log must cover for it to get an energy. */
export const MIN_WINDOW_COVERAGE = 0.999;

/** A raw file of a bundle, as processed tables cite it. */
export interface SourceFile {
  role: "inference" | "power" | "accuracy" | "idle";
  /** `<run id>/<path in the bundle>` */
  name: string;
  sha256: string;
  format: string | null;
}

/** One inference, processed: the row of `inferences.csv`. */
export interface InferenceRow {
  runId: string;
  index: number;
  itemId: string | null;
  label: string | null;
  startS: number | null;
  endS: number | null;
  /** True when start/end come from the manifest's placement, not from the log. */
  placed: boolean;
  promptTokens: number | null;
  genTokens: number | null;
  prefillS: number | null;
  decodeS: number | null;
  latencyS: number;
  energyGrossJ: number | null;
  energyNetJ: number | null;
  meanPowerW: number | null;
  powerCoverage: number | null;
  correct: boolean | null;
  warnings: string[];
  inferenceFile: string;
  inferenceSha256: string;
  inferenceLines: [number, number];
  power: { file: string; sha256: string; lines: [number, number] }[];
}

/** One run, processed: the row of `runs.csv`, with the study's metrics gross and net of idle. */
export interface RunRow {
  runId: string;
  manifest: BundleManifestV1;
  gross: RunMetrics;
  /** Metrics with idle energy subtracted; null without an idle baseline. */
  net: RunMetrics | null;
  idlePowerW: number | null;
  promptTokens: number | null;
  genTokens: number | null;
  inferencesWithEnergy: number;
  /** From the first inference's start to the last one's end (s), and the energy over it (gaps included). */
  spanS: number | null;
  spanEnergyJ: number | null;
  accuracyPct: number | null;
  accuracySource: string | null;
  quarantined: number;
  warnings: number;
}

export interface BundleResult {
  runId: string;
  /** The bundle folder (absolute); never written to the processed tables. */
  dir: string;
  manifest: BundleManifestV1;
  files: SourceFile[];
  inferences: InferenceRow[];
  run: RunRow;
  accuracy: AccuracyResult[];
  quarantined: QuarantineEntry[];
  warnings: IngestWarning[];
}

/** A window's energy summed over the bundle's concurrent power channels. */
interface ChannelSum {
  durationS: number;
  energyJ: number;
  netEnergyJ: number | null;
  meanPowerW: number | null;
  /** The least coverage of any channel. */
  coverage: number;
  warnings: string[];
  spans: { file: number; lineStart: number; lineEnd: number }[];
}

/**
 * Sum one window over channels: energies add; net = gross − idle × covered seconds (the least
 * covered channel's), as `integrateWindows` defines it for one channel; warnings are kept, named
 * by file when there are several channels.
 */
function sumChannels(
  parts: { e: WindowEnergy; span: LineSpan | null; file: number }[],
  idlePowerW: number | null,
  names: string[] | null,
): ChannelSum {
  const first = parts[0]!.e;
  const coverage = Math.min(...parts.map((p) => p.e.coverage));
  const coveredS = coverage * first.durationS;
  const energyJ = parts.reduce((s, p) => s + p.e.energyJ, 0);
  return {
    durationS: first.durationS,
    energyJ,
    netEnergyJ: idlePowerW === null ? null : energyJ - idlePowerW * coveredS,
    meanPowerW: coveredS > 0 ? energyJ / coveredS : null,
    coverage,
    warnings: parts.flatMap((p) => p.e.warnings.map((w) => (names ? `${names[p.file]}: ${w.message}` : w.message))),
    spans: parts.filter((p) => p.span !== null).map((p) => ({ file: p.file, ...p.span! })),
  };
}

/** How many windows start before an earlier-starting window has ended. */
function countOverlaps(windows: readonly (PlacedWindow | null)[]): number {
  const sorted = windows.filter((w): w is PlacedWindow => w !== null).sort((a, b) => a.startS - b.startS);
  let n = 0;
  let lastEnd = -Infinity;
  for (const w of sorted) {
    if (w.startS < lastEnd - 1e-9) n++;
    lastEnd = Math.max(lastEnd, w.endS);
  }
  return n;
}

const posix = (p: string): string => p.replace(/\\/g, "/").replace(/^\.\//, "");

/**
 * Ingest one run bundle: validate its manifest, check every path stays inside the bundle, read
 * its inference, power and accuracy files (read-only, streaming) and compute each inference's
 * energy over its window and the run's metrics. Row-level problems are quarantined and warned
 * about; fatal ones throw an SlmError naming file, line and field.
 */
export async function ingestBundle(bundleDir: string): Promise<BundleResult> {
  const dir = resolve(bundleDir);
  const loaded = loadManifest(dir, bundleDir);
  const m = loaded.manifest;
  const runId = loaded.runId;
  const manifestFile = `${runId}/${MANIFEST_NAME}`;
  const nameOf = (rel: string) => `${runId}/${posix(rel)}`;
  const quarantined: QuarantineEntry[] = [];
  const warnings: IngestWarning[] = loaded.warnings.map((w) => ({
    file: manifestFile,
    line: null,
    message: w.replace(/^[^:]*: /, ""),
  }));
  const onQuarantine = (e: QuarantineEntry) => void quarantined.push(e);
  const onWarning = (w: IngestWarning) => void warnings.push(w);

  // 1. Every path first: nothing is read before the whole manifest is known to be safe.
  const resolveAll = (rels: readonly string[] | undefined, field: string) =>
    (rels ?? []).map((rel, i) => ({
      rel,
      name: nameOf(rel),
      path: resolveInsideBundle(dir, rel, { file: loaded.file, field: `${field}[${i}]` }),
    }));
  const inferenceFiles = resolveAll(m.files.inference, "files.inference");
  const powerFiles = resolveAll(m.files.power, "files.power");
  const accuracyFiles = resolveAll(m.files.accuracy, "files.accuracy");
  const idleFile =
    typeof m.files.idle === "string"
      ? {
          rel: m.files.idle,
          name: nameOf(m.files.idle),
          path: resolveInsideBundle(dir, m.files.idle, { file: loaded.file, field: "files.idle" }),
        }
      : null;
  const sha = new Map<string, string>();
  for (const f of [...inferenceFiles, ...powerFiles, ...accuracyFiles, ...(idleFile ? [idleFile] : [])])
    sha.set(f.name, await sha256File(f.path));

  // 2. Inference records, in file order.
  const items: { record: InferenceRecord; file: number }[] = [];
  const inferenceFormats: InferenceFormat[] = [];
  for (let i = 0; i < inferenceFiles.length; i++) {
    const f = inferenceFiles[i]!;
    const before = items.length;
    const qBefore = quarantined.length;
    const format = resolveInferenceFormat(await readHead(f.path), f.name, m.inference_format);
    inferenceFormats.push(format);
    const log = readInferenceLog(f.path, {
      displayName: f.name,
      onQuarantine,
      onWarning,
      format,
      ...(m.max_prompt_tokens_per_s ? { maxPromptTokensPerS: m.max_prompt_tokens_per_s } : {}),
    });
    for await (const record of log) items.push({ record, file: i });
    if (items.length === before) {
      throw inputError(`no inference records in this file (${quarantined.length - qBefore} line(s) quarantined)`, {
        file: f.name,
        hint: "check that this is the run's inference log and that its format is the one the manifest says",
      });
    }
  }

  // 3. Indexes (the log's own when it numbers every record uniquely) and durations.
  const ownIndex =
    items.every((x) => x.record.index !== undefined) && new Set(items.map((x) => x.record.index)).size === items.length;
  const usable: { record: InferenceRecord; file: number; index: number; latencyS: number }[] = [];
  items.forEach((x, pos) => {
    const latencyS = recordLatencyS(x.record);
    if (latencyS === null) {
      const r = x.record;
      quarantined.push({
        file: inferenceFiles[x.file]!.name,
        line: r.line,
        text: `prompt_tokens=${r.promptTokens ?? "?"} prompt_ms=${r.promptMs ?? "?"} gen_tokens=${r.genTokens ?? "?"} gen_ms=${r.genMs ?? "?"}`,
        reason: "the inference has no duration (no wall-clock times, no total time, prefill or decode time missing)",
      });
      return;
    }
    usable.push({ ...x, index: ownIndex ? x.record.index! : pos, latencyS });
  });
  if (usable.length === 0) {
    throw inputError("no inference in the bundle has a duration", {
      file: manifestFile,
      hint: "see quarantine: every record lacks its times",
    });
  }
  const anyTimed = usable.some((x) => x.record.startS !== null && x.record.endS !== null);
  if (m.placement && anyTimed) {
    warnings.push({
      file: manifestFile,
      line: null,
      message: "placement ignored: the inference log has wall-clock times",
    });
  }
  const windows = inferenceWindows(usable, m.placement);
  const overlaps = countOverlaps(windows);
  if (overlaps > 0) {
    warnings.push({
      file: manifestFile,
      line: null,
      message:
        `${overlaps} inference window(s) overlap the one before (concurrent requests?): power shared by overlapping ` +
        "inferences is counted in each, so per-inference energies add up to more than the device used; compare span_energy_wh",
    });
  }

  // 4. Energy. Several power files are concurrent channels whose powers add (the collector
  // writes one file per RAPL package): each is integrated over every window and the energies summed.
  const energies: (ChannelSum | null)[] = windows.map(() => null);
  let idlePowerW: number | null = null;
  let spanEnergyJ: number | null = null;
  const placed = windows.filter((w): w is PlacedWindow => w !== null);
  const spanWindow =
    placed.length > 0
      ? {
          startS: placed.reduce((a, w) => Math.min(a, w.startS), Infinity),
          endS: placed.reduce((a, w) => Math.max(a, w.endS), -Infinity),
        }
      : null;
  const calibration: PowerCalibration | undefined = m.power_calibration
    ? { gain: m.power_calibration.gain, offsetW: m.power_calibration.offset_w }
    : undefined;
  const powerOpts = {
    ...(m.meter ? { format: m.meter } : {}),
    ...(m.power_interval_ms ? { intervalMs: m.power_interval_ms } : {}),
  };
  if (m.meter) {
    // A file that is not what the manifest says is fatal, not a pile of quarantined lines.
    for (const f of [...powerFiles, ...(idleFile ? [idleFile] : [])]) {
      const looks = detectPowerFormat(await readPowerHead(f.path));
      if (looks !== null && looks !== m.meter) {
        throw inputError(`the manifest says the power logs are ${m.meter}, but this file looks like ${looks}`, {
          file: f.name,
          field: "meter",
          hint: `fix "meter" in ${manifestFile}, or check that this is the right file`,
        });
      }
    }
  }
  const channels = powerFiles.map(
    (f) => new TrackedPowerFile(f.path, f.name, { ...powerOpts, clockOffsetS: m.clock_offset_s, onQuarantine }),
  );
  if (idleFile && channels.length > 1) {
    throw inputError("an idle log file can only serve a bundle with one power log", {
      file: loaded.file,
      field: "files.idle",
      hint: 'give the idle segment as a window inside the power logs: "idle": {"start_s": …, "end_s": …}',
    });
  }
  const withCal = calibration ? { calibration } : {};
  if (channels.length > 0) {
    if (idleFile) {
      const idleLog = readPowerLog(idleFile.path, {
        ...powerOpts,
        onQuarantine: (e) => onQuarantine({ ...e, file: idleFile.name }),
      });
      const t = await totalEnergy(idleLog, withCal);
      if (t.meanPowerW === null)
        throw inputError("the idle log has a single reading: no idle power", {
          file: idleFile.name,
          hint: "record at least a few seconds of idle",
        });
      idlePowerW = t.meanPowerW;
    } else if (m.files.idle && typeof m.files.idle === "object") {
      idlePowerW = 0;
      for (const c of channels) {
        idlePowerW += await idleBaselineW(
          c.source(false),
          { startS: m.files.idle.start_s, endS: m.files.idle.end_s },
          { clockOffsetS: m.clock_offset_s, ...withCal },
        );
      }
    } else {
      warnings.push({
        file: manifestFile,
        line: null,
        message: "no idle segment (files.idle): net energy not computed",
      });
    }
    const ids: number[] = [];
    const list: { id: string; startS: number; endS: number }[] = [];
    windows.forEach((w, i) => {
      if (w) {
        ids.push(i);
        list.push({ id: String(i), startS: w.startS, endS: w.endS });
      }
    });
    if (spanWindow) list.push({ id: "span", ...spanWindow });
    const perChannel: { results: WindowEnergy[]; spans: (LineSpan | null)[] }[] = [];
    for (const c of channels) {
      const spansOf = c.track(list);
      const results = await integrateWindows(c.source(true), list, { clockOffsetS: m.clock_offset_s, ...withCal });
      perChannel.push({ results, spans: spansOf() });
    }
    const sums = list.map((_, k) =>
      sumChannels(
        perChannel.map((p, ci) => ({ e: p.results[k]!, span: p.spans[k] ?? null, file: ci })),
        idlePowerW,
        channels.length > 1 ? powerFiles.map((f) => f.name) : null,
      ),
    );
    ids.forEach((wi, k) => (energies[wi] = sums[k]!));
    if (spanWindow) {
      const s = sums[sums.length - 1]!;
      spanEnergyJ = s.coverage >= MIN_WINDOW_COVERAGE ? s.energyJ : null;
    }
  }
  const powerFormats = channels.map((c) => c.format);
  if (channels.length === 0) {
    warnings.push({
      file: manifestFile,
      line: null,
      message: "no power log in the bundle (files.power): timings only, energy not measured",
    });
    if (m.files.idle !== undefined)
      warnings.push({
        file: manifestFile,
        line: null,
        message: "files.idle ignored: there is no power log to subtract it from",
      });
  }

  // 5. Rows.
  const rows: InferenceRow[] = usable.map((x, i) => {
    const r = x.record;
    const w = windows[i] ?? null;
    const e = energies[i] ?? null;
    const rowWarnings: string[] = [];
    let gross: number | null = null;
    let net: number | null = null;
    if (powerFiles.length > 0) {
      if (!w)
        rowWarnings.push("no wall-clock times: energy not computed (give the manifest a placement to place such logs)");
      else if (e) {
        rowWarnings.push(...e.warnings);
        if (e.coverage >= MIN_WINDOW_COVERAGE && e.durationS > 0) {
          gross = e.energyJ / w.repetitions;
          net = e.netEnergyJ === null ? null : e.netEnergyJ / w.repetitions;
        } else if (e.durationS > 0)
          rowWarnings.push(
            `energy not computed: the power log covers ${(e.coverage * 100).toFixed(1)} % of the window`,
          );
      }
      if (w?.placed)
        rowWarnings.push("placed back to back from the manifest's placement: window edges are approximate");
      if (w?.repetitionsAssumed) {
        rowWarnings.push(
          "the log does not say how many times this llama-bench test ran: its window assumes 1 repetition (set placement.repetitions to llama-bench's -r)",
        );
      }
    }
    return {
      runId,
      index: x.index,
      itemId: r.itemId ?? null,
      label: r.label ?? null,
      startS: w ? w.startS : r.startS,
      endS: w ? w.endS : r.endS,
      placed: w?.placed ?? false,
      promptTokens: r.promptTokens,
      genTokens: r.genTokens,
      prefillS: r.promptMs === null ? null : r.promptMs / 1000,
      decodeS: r.genMs === null ? null : r.genMs / 1000,
      latencyS: x.latencyS,
      energyGrossJ: gross,
      energyNetJ: net,
      meanPowerW: gross === null ? null : (e?.meanPowerW ?? null),
      powerCoverage: e ? e.coverage : null,
      correct: r.correct,
      warnings: rowWarnings,
      inferenceFile: inferenceFiles[x.file]!.name,
      inferenceSha256: sha.get(inferenceFiles[x.file]!.name)!,
      inferenceLines: [r.line, r.lineEnd ?? r.line],
      power: (e?.spans ?? []).map((s) => ({
        file: powerFiles[s.file]!.name,
        sha256: sha.get(powerFiles[s.file]!.name)!,
        lines: [s.lineStart, s.lineEnd] as [number, number],
      })),
    };
  });
  rows.sort((a, b) => a.index - b.index);
  for (let i = 1; i < rows.length; i++) {
    if (rows[i]!.index === rows[i - 1]!.index)
      throw inputError(`two inferences with index ${rows[i]!.index}`, { file: manifestFile });
  }

  // 6. Accuracy files.
  const accuracy: AccuracyResult[] = [];
  for (const f of accuracyFiles) {
    const p = await readLmEvalResults(f.path, { displayName: f.name });
    accuracy.push(...p.results);
    quarantined.push(...p.quarantined);
    warnings.push(...p.warnings);
  }

  // 7. Run metrics.
  const tokensOf = (r: InferenceRow) =>
    r.promptTokens === null || r.genTokens === null ? null : r.promptTokens + r.genTokens;
  const measurements = (pick: (r: InferenceRow) => number | null): InferenceMeasurement[] =>
    rows.map((r) => ({
      latencyS: r.latencyS,
      energyWh: pick(r) === null ? null : jToWh(pick(r)!),
      tokens: tokensOf(r),
      correct: r.correct,
    }));
  const gross = aggregateRun(measurements((r) => r.energyGrossJ));
  let net: RunMetrics | null = null;
  if (idlePowerW !== null) {
    const netJ = rows.reduce((s, r) => s + (r.energyNetJ ?? 0), 0);
    if (netJ >= 0) net = aggregateRun(measurements((r) => r.energyNetJ));
    else
      warnings.push({
        file: manifestFile,
        line: null,
        message: `net energy of the run is negative (${netJ.toFixed(3)} J): the idle baseline is above the run's power; net metrics left empty`,
      });
  }
  const withEnergy = rows.filter((r) => r.energyGrossJ !== null).length;
  if (powerFiles.length > 0 && withEnergy < rows.length) {
    warnings.push({
      file: manifestFile,
      line: null,
      message: `${rows.length - withEnergy} of ${rows.length} inferences have no energy (see their warnings): run energy metrics left empty`,
    });
  }
  let accuracyPct = gross.accuracyPct;
  let accuracySource: string | null = gross.scored > 0 ? `inferences (${gross.scored} scored)` : null;
  if (accuracyPct === null && m.benchmark && accuracy.length > 0) {
    const metric = m.accuracy_metric ?? "acc";
    const a = benchmarkAccuracyPct(accuracy, m.benchmark, metric);
    if (a) {
      accuracyPct = a.accuracyPct;
      accuracySource = `lm-eval ${a.task} ${a.metric}${a.n === null ? "" : ` (n=${a.n})`}`;
    } else {
      warnings.push({
        file: manifestFile,
        line: null,
        message: `the accuracy files have no "${metric}" for task "${m.benchmark}": accuracy left empty`,
      });
    }
  }
  const sumOf = (k: "promptTokens" | "genTokens") =>
    rows.every((r) => r[k] !== null) ? rows.reduce((s, r) => s + (r[k] as number), 0) : null;
  const run: RunRow = {
    runId,
    manifest: m,
    gross,
    net,
    idlePowerW,
    promptTokens: sumOf("promptTokens"),
    genTokens: sumOf("genTokens"),
    inferencesWithEnergy: withEnergy,
    spanS: spanWindow ? spanWindow.endS - spanWindow.startS : null,
    spanEnergyJ,
    accuracyPct,
    accuracySource,
    quarantined: quarantined.length,
    warnings: warnings.length + rows.reduce((s, r) => s + r.warnings.length, 0),
  };

  const files: SourceFile[] = [
    ...inferenceFiles.map((f, i) => ({
      role: "inference" as const,
      name: f.name,
      sha256: sha.get(f.name)!,
      format: inferenceFormats[i] ?? null,
    })),
    ...powerFiles.map((f, i) => ({
      role: "power" as const,
      name: f.name,
      sha256: sha.get(f.name)!,
      format: powerFormats[i] ?? m.meter,
    })),
    ...accuracyFiles.map((f) => ({
      role: "accuracy" as const,
      name: f.name,
      sha256: sha.get(f.name)!,
      format: "lm-eval-json",
    })),
    ...(idleFile
      ? [{ role: "idle" as const, name: idleFile.name, sha256: sha.get(idleFile.name)!, format: m.meter }]
      : []),
  ];
  return { runId, dir, manifest: m, files, inferences: rows, run, accuracy, quarantined, warnings };
}

/** Ingest several bundles; their run ids must differ. */
export async function ingestBundles(dirs: readonly string[]): Promise<BundleResult[]> {
  const out: BundleResult[] = [];
  const seen = new Map<string, string>();
  for (const d of dirs) {
    const r = await ingestBundle(d);
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
}
