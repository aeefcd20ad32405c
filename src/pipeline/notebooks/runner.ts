/**
 * Runs the notebooks: headless Jupyter (nbconvert) with the project-local tslab kernel, each
 * notebook into a fresh output folder, and (with `inplace`) the executed copies stored back.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { basename, isAbsolute, join, relative, resolve } from "node:path";
import { SlmError, usageError } from "../../errors.js";
import { writeFileAtomic } from "../../io/atomic-write.js";
import {
  cellErrorText,
  codeCellIndexOf,
  firstLines,
  JUPYTER_DATA_DIR,
  notebookEnv,
  parseNbconvertFailure,
  storedNotebookText,
  withExecutionCounts,
  type NotebookJson,
} from "../../notebooks/nbformat.js";
import { PATHS } from "../paths.js";

/** Where notebooks live, relative to the project root. Adding a notebook is dropping a file here. */
export const NOTEBOOKS_DIR = PATHS.notebooksDir;
/** Where executed copies go, one fresh folder per run, relative to the project root. */
export const NOTEBOOK_RUNS_DIR = ".cache/notebooks";
/** Executed runs kept under .cache/notebooks; older ones are removed. */
export const RUNS_KEPT = 5;

export interface RunNotebooksOptions {
  root: string;
  /** Notebook names to run (with or without .ipynb); default all in notebooks/. */
  only?: readonly string[];
  /** Output folder; default a fresh `.cache/notebooks/run-<UTC time>`. */
  outDir?: string;
  /** Also store the executed notebooks (with outputs) back into notebooks/, when they all succeed. */
  inplace?: boolean;
  /** Per-cell timeout in seconds (default 300). */
  cellTimeoutS?: number;
  /** The nbconvert command; default Debian's /usr/bin/jupyter-nbconvert. */
  nbconvert?: readonly string[];
  /** How many notebooks run at once (default 1; each runs its own kernel). */
  jobs?: number;
  /** Called with each notebook's name as it starts. */
  onStart?: (notebook: string) => void;
}

/** Where and why a notebook failed. */
export interface NotebookFailure {
  /** 1-based index among the notebook's code cells, when known. */
  codeCell: number | null;
  ename: string;
  evalue: string;
  /** First lines of the failing cell's source. */
  source: string | null;
  /** The tail of nbconvert's output, for failures outside a cell (kernel start, timeout). */
  log: string | null;
}

export interface NotebookResult {
  /** Path relative to the root: `notebooks/01-reproduce-the-paper.ipynb`. */
  notebook: string;
  /** The executed copy (relative to the root when inside it). */
  output: string | null;
  ok: boolean;
  elapsedS: number;
  /** With `inplace`: whether the stored notebook changed. */
  storedChanged?: boolean;
  failure?: NotebookFailure;
}

export interface RunNotebooksResult {
  outDir: string;
  results: NotebookResult[];
  ok: boolean;
}

/** The notebooks under `notebooks/`, sorted by name. */
export function discoverNotebooks(root: string): string[] {
  const dir = join(root, NOTEBOOKS_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".ipynb") && !f.startsWith("."))
    .sort()
    .map((f) => `${NOTEBOOKS_DIR}/${f}`);
}

function selectNotebooks(root: string, only?: readonly string[]): string[] {
  const all = discoverNotebooks(root);
  if (all.length === 0)
    throw usageError(`no notebooks in ${join(root, NOTEBOOKS_DIR)}`, "notebooks are *.ipynb files in notebooks/");
  if (!only || only.length === 0) return all;
  const want = only.map((n) => basename(n).replace(/\.ipynb$/, ""));
  const names = all.map((p) => basename(p, ".ipynb"));
  const unknown = want.filter((w) => !names.includes(w));
  if (unknown.length > 0)
    throw usageError(
      `unknown notebook ${unknown.map((u) => `"${u}"`).join(", ")}`,
      `notebooks are: ${names.join(", ")}`,
    );
  return all.filter((p) => want.includes(basename(p, ".ipynb")));
}

const SETUP_HINT =
  "run `bash scripts/setup.sh` (installs Debian's Jupyter and registers the tslab kernel in .jupyter/)";

/** Check that Jupyter, the tslab kernelspec and the tslab binary are where the runner needs them. */
export function checkNotebookEnvironment(root: string, nbconvert: readonly string[] = defaultNbconvert()): void {
  if (!existsSync(nbconvert[0]!))
    throw new SlmError("E_ENV", `Jupyter's nbconvert not found at ${nbconvert[0]}`, { hint: SETUP_HINT });
  checkKernelEnvironment(root);
}

/**
 * Check what the tslab kernel needs, whoever starts it (nbconvert, the notebook server): the
 * project-local kernelspec, the tslab binary, the self-link notebooks import by, the built dist/.
 */
export function checkKernelEnvironment(root: string): void {
  const hint = SETUP_HINT;
  const spec = join(root, JUPYTER_DATA_DIR, "kernels", "tslab", "kernel.json");
  if (!existsSync(spec)) throw new SlmError("E_ENV", `the tslab kernelspec is missing (${spec})`, { hint });
  if (!existsSync(join(root, "node_modules", ".bin", "tslab")))
    throw new SlmError("E_ENV", "node_modules/.bin/tslab is missing", { hint: "run `npm ci`" });
  if (!existsSync(join(root, "node_modules", "slm-energy", "package.json"))) {
    throw new SlmError(
      "E_ENV",
      "node_modules/slm-energy is missing: notebooks import the toolkit by its package name",
      { hint },
    );
  }
  if (!existsSync(join(root, "dist", "index.js")))
    throw new SlmError("E_ENV", "dist/ is not built: notebooks import the compiled toolkit", {
      hint: "run `npm run build`",
    });
}

function defaultNbconvert(): string[] {
  return existsSync("/usr/bin/jupyter-nbconvert")
    ? ["/usr/bin/jupyter-nbconvert"]
    : ["/usr/bin/python3", "-m", "nbconvert"];
}

function runProcess(
  cmd: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<{ code: number; output: string }> {
  return new Promise((resolveP, reject) => {
    const child = spawn(cmd[0]!, cmd.slice(1), { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolveP({ code: code ?? 1, output }));
  });
}

const readNotebook = (path: string): NotebookJson => JSON.parse(readFileSync(path, "utf8")) as NotebookJson;

function freshRunDir(root: string): string {
  const base = join(root, NOTEBOOK_RUNS_DIR);
  mkdirSync(base, { recursive: true });
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  let dir = join(base, `run-${stamp}`);
  for (let k = 2; existsSync(dir); k++) dir = join(base, `run-${stamp}-${k}`);
  mkdirSync(dir);
  // Keep the newest runs only (names sort by time).
  const runs = readdirSync(base)
    .filter((d) => /^run-\d{8}T\d{6}Z(-\d+)?$/.test(d))
    .sort();
  for (const old of runs.slice(0, Math.max(0, runs.length - RUNS_KEPT)))
    rmSync(join(base, old), { recursive: true, force: true });
  return dir;
}

/** What one run of the notebooks shares: where things are, how nbconvert is called. */
interface RunContext {
  root: string;
  outDir: string;
  nbconvert: readonly string[];
  env: NodeJS.ProcessEnv;
  cellTimeoutS: number;
  show: (path: string) => string;
}

function nbconvertArgs(c: RunContext, nb: string, allowErrors: boolean): string[] {
  return [
    ...c.nbconvert,
    "--to",
    "notebook",
    "--execute",
    ...(allowErrors ? ["--allow-errors"] : []),
    "--ExecutePreprocessor.kernel_name=tslab",
    `--ExecutePreprocessor.timeout=${c.cellTimeoutS}`,
    "--ExecutePreprocessor.record_timing=False",
    // A loaded 2-core machine can take over a minute to start a tslab kernel (the default is 60 s).
    "--ExecutePreprocessor.startup_timeout=300",
    "--output-dir",
    c.outDir,
    "--output",
    basename(nb),
    join(c.root, nb),
  ];
}

/**
 * Where a failed notebook failed. tslab reports a cell's error only as stderr text, which nbconvert
 * does not print, so when a cell (not the kernel or a timeout) failed, run again letting errors
 * through: the copy in the output folder then shows the error under its cell, and the report can
 * quote it.
 */
async function explainFailure(c: RunContext, nb: string, output: string, source: NotebookJson) {
  const outPath = join(c.outDir, basename(nb));
  const parsed = parseNbconvertFailure(output);
  let failure: NotebookFailure = {
    codeCell: parsed.cellSource === null ? null : codeCellIndexOf(source, parsed.cellSource),
    ename: parsed.ename,
    evalue: parsed.evalue,
    source: parsed.cellSource === null ? null : firstLines(parsed.cellSource),
    log: parsed.cellSource === null ? output.trim().split("\n").slice(-25).join("\n") : null,
  };
  let copy: string | null = null;
  if (parsed.cellSource !== null && !parsed.timeout) {
    const again = await runProcess(nbconvertArgs(c, nb, true), c.env, c.root);
    if (again.code === 0 && existsSync(outPath)) {
      const executed = readNotebook(outPath);
      writeFileAtomic(outPath, storedNotebookText(executed, source));
      copy = c.show(outPath);
      const detail = cellErrorText(executed, failure.codeCell);
      if (detail) failure = { ...failure, ...detail };
    }
  }
  return { failure, output: copy };
}

async function executeOne(c: RunContext, nb: string): Promise<NotebookResult> {
  const t0 = performance.now();
  const outPath = join(c.outDir, basename(nb));
  rmSync(outPath, { force: true });
  // The authoritative run: nbconvert stops at the first failing cell and exits non-zero.
  const run = await runProcess(nbconvertArgs(c, nb, false), c.env, c.root);
  const source = readNotebook(join(c.root, nb));
  if (run.code === 0 && existsSync(outPath)) {
    writeFileAtomic(outPath, storedNotebookText(withExecutionCounts(readNotebook(outPath)), source));
    return { notebook: nb, output: c.show(outPath), ok: true, elapsedS: (performance.now() - t0) / 1000 };
  }
  const { failure, output } = await explainFailure(c, nb, run.output, source);
  return { notebook: nb, output, ok: false, elapsedS: (performance.now() - t0) / 1000, failure };
}

/** Run `task` over `items`, `jobs` at a time; results in item order. */
async function pool<T, R>(items: readonly T[], jobs: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
  return results;
}

/**
 * Execute notebooks headless with Debian's Jupyter (nbconvert) and the project-local tslab kernel,
 * each into a fresh output folder. A notebook fails when any cell raises; the failure names the
 * code cell, the error and the cell's first lines. With `inplace`, the executed notebooks (outputs
 * included) are stored back into notebooks/ — only those that ran cleanly, atomically.
 */
export async function runNotebooks(options: RunNotebooksOptions): Promise<RunNotebooksResult> {
  const root = resolve(options.root);
  const nbconvert = options.nbconvert ?? defaultNbconvert();
  const notebooks = selectNotebooks(root, options.only);
  checkNotebookEnvironment(root, nbconvert);
  const outDir =
    options.outDir === undefined
      ? freshRunDir(root)
      : isAbsolute(options.outDir)
        ? options.outDir
        : join(root, options.outDir);
  mkdirSync(outDir, { recursive: true });
  mkdirSync(join(root, ".jupyter", "runtime"), { recursive: true });
  const show = (p: string): string => {
    const rel = relative(root, p);
    return rel.startsWith("..") || isAbsolute(rel) ? p : rel;
  };
  const c: RunContext = {
    root,
    outDir,
    nbconvert,
    env: notebookEnv(root),
    cellTimeoutS: options.cellTimeoutS ?? 300,
    show,
  };
  const results = await pool(notebooks, options.jobs ?? 1, (nb) => {
    options.onStart?.(nb);
    return executeOne(c, nb);
  });
  if (options.inplace) {
    for (const r of results) {
      if (r.ok)
        r.storedChanged = writeFileAtomic(join(root, r.notebook), readFileSync(join(outDir, basename(r.notebook))));
    }
  }
  return { outDir: show(outDir), results, ok: results.every((r) => r.ok) };
}
