/**
 * Real files from public repositories (test/fixtures/real/, provenance in SOURCES.md), read the
 * way `slm-energy inspect` reads them. Expected values come from expected.py, which computes them
 * without this project's parsers (its output is expected.json). A file the project cannot read yet
 * is a skipped test naming the defect (and in SOURCES.md's "not yet handled" list): un-skip it when
 * the defect is fixed.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { InspectResult } from "../../src/ingest/inspect.js";
import { inspectFile } from "../../src/pipeline/ingest/inspect.js";

const DIR = fileURLToPath(new URL("../fixtures/real/", import.meta.url));
const NOT_DATA = new Set(["SOURCES.md", "expected.py", "expected.json"]);

interface PowerExpected {
  kind: "power";
  energy_j: number;
  samples?: number;
  rows?: number;
}
interface InferenceExpected {
  kind: "inference";
  records?: { prompt_tokens: number; gen_tokens: number; prompt_ms?: number; gen_ms?: number }[];
  rows?: number;
}
interface AccuracyExpected {
  kind: "accuracy";
  results: { task: string; metric: string; value: number; stderr: number | null }[];
}
type Expected = PowerExpected | InferenceExpected | AccuracyExpected;

const EXPECTED = JSON.parse(readFileSync(`${DIR}expected.json`, "utf8")) as Record<string, Expected>;

/** The format id each file must be recognised as (by file-name prefix). */
const FORMAT: [RegExp, string][] = [
  [/^tegrastats-/, "tegrastats"],
  [/^nvidia-smi-/, "nvidia-smi"],
  [/^codecarbon-/, "codecarbon"],
  [/^nano-rails-mw\.csv$/, "usb-csv"],
  [/^llama-(cpp|print-timings|perf)-/, "llama-cpp"],
  [/^ollama-verbose-/, "ollama-verbose"],
  [/^llama-bench-b\d+.*\.json$/, "llama-bench-json"],
  [/^llama-bench-(md|table-csv)-/, "llama-bench-md"],
  [/^lm-eval-/, "lm-eval-json"],
  [/^perf-stat-/, "rapl"],
  [/^ollama-generate-/, "ollama-json"],
  [/^jtop-derived-/, "jtop-csv"],
];

/** Lines of a file that are not readings and are rightly set aside (a pasted shell prompt). */
const NOT_READINGS: Record<string, number[]> = {
  "tegrastats-tx2-l4t28-prompt.log": [1, 2],
};

/** Files the project cannot read yet, and why (issue 13). Un-skip when fixed. */
const DEFECTS: Record<string, string> = {};

function formatOf(file: string): string {
  const f = FORMAT.find(([re]) => re.test(file));
  if (f === undefined) throw new Error(`no format rule for ${file}`);
  return f[1];
}

/** Relative difference, for energies and durations (0.5 % allowed). */
const rel = (got: number, want: number) => Math.abs(got - want) / Math.max(Math.abs(want), 1e-12);

function checkPower(r: InspectResult, want: PowerExpected): void {
  const i = r.inspection;
  if (i.kind !== "power") throw new Error(`read as ${i.kind}`);
  expect(rel(i.energy_j, want.energy_j), `energy ${i.energy_j} J, expected ${want.energy_j} J`).toBeLessThan(0.005);
  if (want.samples !== undefined) expect(i.samples).toBe(want.samples);
}

function checkInference(r: InspectResult, want: InferenceExpected): void {
  const i = r.inspection;
  if (i.kind !== "inference") throw new Error(`read as ${i.kind}`);
  const records = want.records ?? [];
  expect(i.records).toHaveLength(records.length);
  records.forEach((w, k) => {
    const got = i.records[k];
    expect(got?.prompt_tokens, `record ${k + 1} prompt tokens`).toBe(w.prompt_tokens);
    expect(got?.gen_tokens, `record ${k + 1} generated tokens`).toBe(w.gen_tokens);
    if (w.prompt_ms !== undefined) expect(rel(got?.prompt_ms ?? NaN, w.prompt_ms)).toBeLessThan(1e-9);
    if (w.gen_ms !== undefined) expect(rel(got?.gen_ms ?? NaN, w.gen_ms)).toBeLessThan(1e-9);
  });
}

function checkAccuracy(r: InspectResult, want: AccuracyExpected): void {
  const i = r.inspection;
  if (i.kind !== "accuracy") throw new Error(`read as ${i.kind}`);
  const key = (x: { task: string; metric: string }) => `${x.task}/${x.metric.split(",")[0] ?? ""}`;
  const got = new Map(i.results.map((x) => [key(x), x]));
  expect([...got.keys()].sort()).toEqual(want.results.map(key).sort());
  for (const w of want.results) {
    const g = got.get(key(w));
    expect(g?.value, key(w)).toBe(w.value);
    expect(g?.stderr ?? null, `${key(w)} stderr`).toBe(w.stderr);
  }
}

async function check(file: string, want: Expected): Promise<void> {
  const r = await inspectFile(`${DIR}${file}`, { displayName: file });
  expect(r.inspection.format).toBe(formatOf(file));
  // Whole lines, cut at line boundaries: nothing to quarantine but lines that are not readings.
  expect(r.quarantined.map((q) => q.line)).toEqual(NOT_READINGS[file] ?? []);
  if (want.kind === "power") checkPower(r, want);
  else if (want.kind === "inference") checkInference(r, want);
  else checkAccuracy(r, want);
}

describe("real files from public repositories", () => {
  const files = readdirSync(DIR)
    .filter((f) => !NOT_DATA.has(f))
    .sort();

  it("every file has expected values, a provenance row in SOURCES.md, and a format", () => {
    const sources = readFileSync(`${DIR}SOURCES.md`, "utf8");
    expect(files.length).toBeGreaterThanOrEqual(40);
    for (const f of files) {
      expect(EXPECTED[f], `${f} in expected.json`).toBeDefined();
      expect(sources, `${f} in SOURCES.md`).toContain(`\`${f}\``);
      expect(() => formatOf(f)).not.toThrow();
    }
    const notHandled = sources.split("## Not yet handled")[1]?.split("\n## ")[0] ?? "";
    for (const f of Object.keys(DEFECTS)) {
      expect(files, `defect listed for a missing file ${f}`).toContain(f);
      expect(notHandled, `${f} in SOURCES.md's not-yet-handled list`).toContain(`\`${f}\``);
    }
    for (const f of files) {
      if (DEFECTS[f] === undefined)
        expect(notHandled, `${f} is read: not in not-yet-handled`).not.toContain(`\`${f}\``);
    }
  });

  for (const file of files) {
    const want = EXPECTED[file];
    if (want === undefined) continue;
    const defect = DEFECTS[file];
    if (defect === undefined) it(`${file} (${formatOf(file)})`, () => check(file, want));
    else it.skip(`${file}: not yet handled — ${defect}`, () => check(file, want));
  }
});
