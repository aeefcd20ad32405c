import { inputError } from "../../errors.js";
import type { AccuracyResult, IngestWarning, QuarantineEntry } from "../types.js";
import { clip, type ParseSink } from "../inference/sink.js";

/**
 * lm-evaluation-harness results JSON (`results_<date>.json`, or the dict `simple_evaluate`
 * returns). Metric keys are `metric,filter` (`acc,none`, `exact_match,strict-match`); their
 * standard errors are `metric_stderr,filter`, and `N/A` there means none (null). Files from
 * harness versions before 0.4 have keys without a filter (read as filter `none`).
 *
 * `n` is the effective sample count from `n-samples` (what `--limit` left), falling back to the
 * original count; for a group task (e.g. `mmlu`, listed in `groups` or `group_subtasks`) it is
 * the sum over its subtasks. Results are read in file order; a group that appears only under
 * `groups` is added after them. A metric whose value is not a number is quarantined.
 */

const NON_METRIC_KEYS = new Set(["alias", "name", "samples", "sample_count", "sample_len"]);

/** Line (1-based) of a character offset. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Is this text (head of a file) an lm-evaluation-harness results file? */
export function looksLikeLmEval(text: string): boolean {
  const t = text.replace(/^\uFEFF/, "").trimStart();
  if (!t.startsWith("{")) return false;
  if (!/"results"\s*:\s*\{/.test(t)) return false;
  return (
    /"[\w-]+(?:_stderr)?,[^"]*"\s*:/.test(t) ||
    /"(n-shot|versions|n-samples|configs|group_subtasks|higher_is_better)"\s*:/.test(t) ||
    /_stderr"\s*:/.test(t)
  );
}

function effectiveN(nSamples: unknown, task: string): number | null {
  if (!nSamples || typeof nSamples !== "object") return null;
  const entry = (nSamples as Record<string, unknown>)[task];
  if (typeof entry === "number" && Number.isInteger(entry)) return entry;
  if (!entry || typeof entry !== "object") return null;
  const e = entry as Record<string, unknown>;
  if (typeof e.effective === "number") return e.effective;
  if (typeof e.original === "number") return e.original;
  return null;
}

/** The results object of a results file, or a fatal error naming what is wrong. */
function resultsDocument(text: string, file: string): Record<string, unknown> {
  if (text.trim() === "")
    throw inputError("the file is empty", { file, hint: "expected lm-evaluation-harness results JSON" });
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    throw inputError(`not valid JSON: ${msg}`, {
      file,
      ...(pos ? { line: lineAt(text, Number(pos[1])) } : {}),
      hint: "lm-evaluation-harness writes one JSON object; check that the file is complete",
    });
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) throw inputError("expected a JSON object", { file });
  const d = doc as Record<string, unknown>;
  const results = d.results;
  if (!results || typeof results !== "object" || Array.isArray(results)) {
    throw inputError('no "results" object', {
      file,
      field: "results",
      hint: "is this an lm-evaluation-harness results file?",
    });
  }
  return d;
}

const objectOr = (x: unknown): Record<string, unknown> =>
  (x && typeof x === "object" ? x : {}) as Record<string, unknown>;

/** What reading one task's metrics needs to know about the whole file. */
interface TaskContext {
  file: string;
  sink: ParseSink;
  /** Line of a task's entry (in "results", or in "groups"). */
  lineOf(task: string, inGroups: boolean): number;
  /** Sample count of a task: its own, else the sum over its subtasks. */
  nOf(task: string): number | null;
  isGroup(task: string): boolean;
}

function taskContext(text: string, file: string, sink: ParseSink, d: Record<string, unknown>): TaskContext {
  const groups = objectOr(d.groups);
  const subtasks = objectOr(d.group_subtasks);
  const nOf = (task: string, depth = 0): number | null => {
    const direct = effectiveN(d["n-samples"], task);
    if (direct !== null) return direct;
    const subs = subtasks[task];
    if (!Array.isArray(subs) || subs.length === 0 || depth > 10) return null;
    let total = 0;
    for (const s of subs) {
      const n = typeof s === "string" ? nOf(s, depth + 1) : null;
      if (n === null) return null;
      total += n;
    }
    return total;
  };
  const resultsStart = Math.max(0, text.search(/"results"\s*:/));
  const groupsStart = text.search(/"groups"\s*:/);
  const lineOf = (task: string, inGroups: boolean): number => {
    const from = inGroups && groupsStart >= 0 ? groupsStart : resultsStart;
    const re = new RegExp(`"${escapeRe(task)}"\\s*:\\s*\\{`, "g");
    re.lastIndex = from;
    const m = re.exec(text);
    return m ? lineAt(text, m.index) : lineAt(text, from);
  };
  const isGroup = (task: string): boolean =>
    task in groups || (Array.isArray(subtasks[task]) && (subtasks[task] as unknown[]).length > 0);
  return { file, sink, lineOf, nOf: (task) => nOf(task), isGroup };
}

/** A metric's standard error, or null (with a warning when it is there but not a number). */
function metricStderr(c: TaskContext, e: Record<string, unknown>, stderrKey: string, task: string, line: number) {
  const se = e[stderrKey];
  if (typeof se === "number" && Number.isFinite(se)) return se;
  if (se !== undefined && se !== null && se !== "N/A" && se !== "") {
    c.sink.warn({
      file: c.file,
      line,
      message: `"${stderrKey}" of task "${task}" is ${JSON.stringify(se)}, not a number: stderr left null`,
    });
  }
  return null;
}

/** Every metric of one task's entry; bad ones are quarantined. */
function readTask(c: TaskContext, task: string, entry: unknown, inGroups: boolean, out: AccuracyResult[]): void {
  const { file, sink } = c;
  const line = c.lineOf(task, inGroups);
  if (!entry || typeof entry !== "object" || Array.isArray(entry)) {
    sink.quarantine({
      file,
      line,
      text: clip(`"${task}": ${JSON.stringify(entry)}`),
      reason: "a task's results must be an object of metrics",
    });
    return;
  }
  const e = entry as Record<string, unknown>;
  for (const [key, value] of Object.entries(e)) {
    if (NON_METRIC_KEYS.has(key)) continue;
    const [name, filter = "none"] = key.split(",", 2) as [string, string?];
    if (name.endsWith("_stderr")) continue;
    if (typeof value !== "number" || !Number.isFinite(value)) {
      sink.quarantine({
        file,
        line,
        text: clip(`"${task}": {"${key}": ${JSON.stringify(value)}}`),
        reason: `metric "${key}" of task "${task}" has no numeric value`,
      });
      continue;
    }
    const stderrKey = filter === "none" && !key.includes(",") ? `${name}_stderr` : `${name}_stderr,${filter}`;
    const stderr = metricStderr(c, e, stderrKey, task, line);
    const metric = filter === "none" ? name : `${name},${filter}`;
    out.push({ task, metric, filter, value, stderr, n: c.nOf(task), group: c.isGroup(task), line });
  }
}

/** Parse the text of a results file into accuracy figures; bad metrics go to the sink. */
export function parseLmEvalResults(text: string, file: string, sink: ParseSink): AccuracyResult[] {
  const d = resultsDocument(text, file);
  const results = d.results as Record<string, unknown>;
  const c = taskContext(text, file, sink, d);
  const out: AccuracyResult[] = [];
  for (const [task, entry] of Object.entries(results)) readTask(c, task, entry, false, out);
  for (const [task, entry] of Object.entries(objectOr(d.groups))) {
    if (!(task in results)) readTask(c, task, entry, true, out);
  }
  return out;
}

export interface ParsedAccuracy {
  format: "lm-eval-json";
  results: AccuracyResult[];
  quarantined: QuarantineEntry[];
  warnings: IngestWarning[];
}

/**
 * The accuracy (in %) of a benchmark from results: the task named like the benchmark (lm-eval's
 * task names `mmlu`, `hellaswag`, `winogrande` are the study's benchmark ids), with the given
 * metric (`acc` by default; `acc_norm` for HellaSwag's length-normalised accuracy). Null when absent.
 */
export function benchmarkAccuracyPct(
  results: readonly AccuracyResult[],
  benchmark: string,
  metric = "acc",
): { accuracyPct: number; n: number | null; stderrPct: number | null; task: string; metric: string } | null {
  const r = results.find((x) => x.task === benchmark && x.metric === metric);
  if (!r) return null;
  return {
    accuracyPct: r.value * 100,
    n: r.n,
    stderrPct: r.stderr === null ? null : r.stderr * 100,
    task: r.task,
    metric: r.metric,
  };
}
