import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { basename, delimiter, isAbsolute, join, relative, resolve } from "node:path";
import { SlmError, usageError } from "../errors.js";
import { writeFileAtomic } from "../io/atomic-write.js";

/** Where notebooks live, relative to the project root. Adding a notebook is dropping a file here. */
export const NOTEBOOKS_DIR = "notebooks";
/** Where executed copies go, one fresh folder per run, relative to the project root. */
export const NOTEBOOK_RUNS_DIR = ".cache/notebooks";
/** The project-local Jupyter data folder holding the tslab kernelspec (written by scripts/setup.sh). */
export const JUPYTER_DATA_DIR = ".jupyter/share/jupyter";
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
  if (all.length === 0) throw usageError(`no notebooks in ${join(root, NOTEBOOKS_DIR)}`, "notebooks are *.ipynb files in notebooks/");
  if (!only || only.length === 0) return all;
  const want = only.map((n) => basename(n).replace(/\.ipynb$/, ""));
  const names = all.map((p) => basename(p, ".ipynb"));
  const unknown = want.filter((w) => !names.includes(w));
  if (unknown.length > 0) throw usageError(`unknown notebook ${unknown.map((u) => `"${u}"`).join(", ")}`, `notebooks are: ${names.join(", ")}`);
  return all.filter((p) => want.includes(basename(p, ".ipynb")));
}

/** Check that Jupyter, the tslab kernelspec and the tslab binary are where the runner needs them. */
export function checkNotebookEnvironment(root: string, nbconvert: readonly string[] = defaultNbconvert()): void {
  const hint = "run `bash scripts/setup.sh` (installs Debian's Jupyter and registers the tslab kernel in .jupyter/)";
  if (!existsSync(nbconvert[0]!)) throw new SlmError("E_ENV", `Jupyter's nbconvert not found at ${nbconvert[0]}`, { hint });
  const spec = join(root, JUPYTER_DATA_DIR, "kernels", "tslab", "kernel.json");
  if (!existsSync(spec)) throw new SlmError("E_ENV", `the tslab kernelspec is missing (${spec})`, { hint });
  if (!existsSync(join(root, "node_modules", ".bin", "tslab"))) throw new SlmError("E_ENV", "node_modules/.bin/tslab is missing", { hint: "run `npm ci`" });
  if (!existsSync(join(root, "node_modules", "slm-energy", "package.json"))) {
    throw new SlmError("E_ENV", "node_modules/slm-energy is missing: notebooks import the toolkit by its package name", { hint });
  }
  if (!existsSync(join(root, "dist", "index.js"))) throw new SlmError("E_ENV", "dist/ is not built: notebooks import the compiled toolkit", { hint: "run `npm run build`" });
}

function defaultNbconvert(): string[] {
  return existsSync("/usr/bin/jupyter-nbconvert") ? ["/usr/bin/jupyter-nbconvert"] : ["/usr/bin/python3", "-m", "nbconvert"];
}

/** The environment Jupyter and the kernel run in: project-local kernelspec and runtime, tslab on PATH. */
export function notebookEnv(root: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...base,
    JUPYTER_PATH: join(root, JUPYTER_DATA_DIR),
    JUPYTER_RUNTIME_DIR: join(root, ".jupyter", "runtime"),
    JUPYTER_CONFIG_DIR: join(root, ".jupyter", "config"),
    JUPYTER_PLATFORM_DIRS: "1",
    PATH: [join(root, "node_modules", ".bin"), base.PATH ?? ""].join(delimiter),
    SLM_ENERGY_ROOT: root,
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
  };
}

function runProcess(cmd: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolveP, reject) => {
    const child = spawn(cmd[0]!, cmd.slice(1), { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolveP({ code: code ?? 1, output }));
  });
}

interface NotebookJson {
  cells: { cell_type: string; source: string | string[]; metadata?: Record<string, unknown>; outputs?: { output_type: string; ename?: string; evalue?: string }[] }[];
  [k: string]: unknown;
}

const sourceText = (cell: NotebookJson["cells"][number]): string => (Array.isArray(cell.source) ? cell.source.join("") : cell.source);
const firstLines = (text: string, n = 6): string => text.split("\n").slice(0, n).join("\n");

/** What nbconvert's output says about a failed execution. */
export interface NbconvertFailure {
  /** The source of the failing cell, as nbconvert quotes it; null when no cell is named (kernel start, crash). */
  cellSource: string | null;
  ename: string;
  evalue: string;
  timeout: boolean;
}

/**
 * Read nbconvert's failure report: the `CellExecutionError` block quotes the failing cell between
 * two lines of dashes, followed by the error (empty for tslab, which sends its error as stderr).
 */
export function parseNbconvertFailure(output: string): NbconvertFailure {
  const timeout = /CellTimeoutError|Cell execution timed out|TimeoutError/.test(output);
  const m = /An error occurred while executing the following cell:\n-{6,}\n([\s\S]*?)\n-{6,}\n([\s\S]*)$/.exec(output);
  if (!m) {
    // A Python exception line: module-qualified ("jupyter_client.kernelspec.NoSuchKernel: …") or a bare *Error.
    const lines = output.trim().split("\n").reverse();
    for (const l of lines) {
      const e = /^(?:[a-z_]\w*\.)+([A-Z]\w*):\s*(.*)$/.exec(l) ?? /^([A-Z]\w*(?:Error|Exception)):\s*(.*)$/.exec(l);
      if (e) return { cellSource: null, ename: e[1]!, evalue: e[2]!, timeout };
    }
    return { cellSource: null, ename: "NbconvertError", evalue: "nbconvert failed before running a cell", timeout };
  }
  const after = m[2]!.trim().split("\n").map((l) => l.trim()).filter((l) => l !== "");
  const errLine = after.find((l) => /^(<\w+>|\w+(Error|Exception))/.test(l)) ?? after[0] ?? "";
  const e = /^<?(\w+)>?:?\s*(.*)$/.exec(errLine);
  return { cellSource: m[1]!, ename: e?.[1] ?? "Error", evalue: e?.[2] ?? "", timeout };
}

/** 1-based index among code cells of the cell whose source is `src`, or null. */
export function codeCellIndexOf(nb: NotebookJson, src: string): number | null {
  const code = nb.cells.filter((c) => c.cell_type === "code");
  const i = code.findIndex((c) => sourceText(c).trim() === src.trim());
  return i < 0 ? null : i + 1;
}

/**
 * The error a code cell of an executed notebook shows: an `error` output (most kernels) or the
 * first line of its stderr stream that names an error (tslab).
 */
export function cellErrorText(nb: NotebookJson, codeCell: number | null): { ename: string; evalue: string } | null {
  if (codeCell === null) return null;
  const cell = nb.cells.filter((c) => c.cell_type === "code")[codeCell - 1];
  if (!cell) return null;
  for (const o of cell.outputs ?? []) {
    const out = o as { output_type: string; ename?: string; evalue?: string; name?: string; text?: string | string[] };
    if (out.output_type === "error") return { ename: out.ename ?? "Error", evalue: out.evalue ?? "" };
    if (out.output_type === "stream" && out.name === "stderr") {
      const lines = (Array.isArray(out.text) ? out.text.join("") : out.text ?? "").split("\n").map((l) => l.trim());
      // A JavaScript exception, as Node prints it: "ReferenceError: root is not defined".
      for (const l of lines) {
        const m = /^((?:[A-Z]\w*)?(?:Error|Exception))(?::\s*(.*))?$/.exec(l);
        if (m) return { ename: m[1]!, evalue: m[2] ?? "" };
      }
      // A TypeScript diagnostic, as tslab prints it: "1:7 - Type 'string' is not assignable …".
      const ts = lines.find((l) => /^\d+:\d+ - /.test(l));
      if (ts) return { ename: "TypeScriptError", evalue: `at cell line ${ts}` };
      const first = lines.find((l) => l !== "");
      if (first) return { ename: "Error", evalue: first };
    }
  }
  return null;
}

/**
 * A notebook as stored: keys sorted and one-space indents as nbformat writes them, no per-cell
 * execution timestamps, and stable ids for cells the source left without one, so re-running an
 * unchanged notebook stores identical bytes.
 */
export function storedNotebookText(nb: NotebookJson, source?: NotebookJson): string {
  const clean = structuredClone(nb);
  clean.cells.forEach((cell, i) => {
    if (cell.metadata && "execution" in cell.metadata) delete cell.metadata.execution;
    // nbformat gives id-less cells random ids on every run: give them stable ones instead.
    if (source && source.cells[i] && !("id" in source.cells[i]!)) (cell as { id?: string }).id = `cell-${String(i + 1).padStart(2, "0")}`;
  });
  return JSON.stringify(sortKeys(clean), null, 1) + "\n";
}

function sortKeys(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(sortKeys);
  if (x && typeof x === "object") {
    return Object.fromEntries(Object.keys(x as object).sort().map((k) => [k, sortKeys((x as Record<string, unknown>)[k])]));
  }
  return x;
}

function freshRunDir(root: string): string {
  const base = join(root, NOTEBOOK_RUNS_DIR);
  mkdirSync(base, { recursive: true });
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  let dir = join(base, `run-${stamp}`);
  for (let k = 2; existsSync(dir); k++) dir = join(base, `run-${stamp}-${k}`);
  mkdirSync(dir);
  // Keep the newest runs only (names sort by time).
  const runs = readdirSync(base).filter((d) => /^run-\d{8}T\d{6}Z(-\d+)?$/.test(d)).sort();
  for (const old of runs.slice(0, Math.max(0, runs.length - RUNS_KEPT))) rmSync(join(base, old), { recursive: true, force: true });
  return dir;
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
  const outDir = options.outDir === undefined ? freshRunDir(root) : isAbsolute(options.outDir) ? options.outDir : join(root, options.outDir);
  mkdirSync(outDir, { recursive: true });
  mkdirSync(join(root, ".jupyter", "runtime"), { recursive: true });
  const show = (p: string): string => {
    const rel = relative(root, p);
    return rel.startsWith("..") || isAbsolute(rel) ? p : rel;
  };
  const env = notebookEnv(root);
  const executeOne = async (nb: string): Promise<NotebookResult> => {
    options.onStart?.(nb);
    const t0 = performance.now();
    const name = basename(nb);
    const outPath = join(outDir, name);
    rmSync(outPath, { force: true });
    const nbconvertArgs = (allowErrors: boolean): string[] => [
      ...nbconvert,
      "--to",
      "notebook",
      "--execute",
      ...(allowErrors ? ["--allow-errors"] : []),
      "--ExecutePreprocessor.kernel_name=tslab",
      `--ExecutePreprocessor.timeout=${options.cellTimeoutS ?? 300}`,
      "--ExecutePreprocessor.record_timing=False",
      // A loaded 2-core machine can take over a minute to start a tslab kernel (the default is 60 s).
      "--ExecutePreprocessor.startup_timeout=300",
      "--output-dir",
      outDir,
      "--output",
      name,
      join(root, nb),
    ];
    // The authoritative run: nbconvert stops at the first failing cell and exits non-zero.
    const run = await runProcess(nbconvertArgs(false), env, root);
    const source = JSON.parse(readFileSync(join(root, nb), "utf8")) as NotebookJson;
    if (run.code === 0 && existsSync(outPath)) {
      writeFileAtomic(outPath, storedNotebookText(JSON.parse(readFileSync(outPath, "utf8")) as NotebookJson, source));
      return { notebook: nb, output: show(outPath), ok: true, elapsedS: (performance.now() - t0) / 1000 };
    }
    // It failed. tslab reports a cell's error only as stderr text, which nbconvert does not
    // print, so when a cell (not the kernel or a timeout) failed, run again letting errors
    // through: the copy in the output folder then shows the error under its cell, and the
    // report can quote it.
    const parsed = parseNbconvertFailure(run.output);
    let failure: NotebookFailure = {
      codeCell: parsed.cellSource === null ? null : codeCellIndexOf(source, parsed.cellSource),
      ename: parsed.ename,
      evalue: parsed.evalue,
      source: parsed.cellSource === null ? null : firstLines(parsed.cellSource),
      log: parsed.cellSource === null ? run.output.trim().split("\n").slice(-25).join("\n") : null,
    };
    let output: string | null = null;
    if (parsed.cellSource !== null && !parsed.timeout) {
      const again = await runProcess(nbconvertArgs(true), env, root);
      if (again.code === 0 && existsSync(outPath)) {
        const executed = JSON.parse(readFileSync(outPath, "utf8")) as NotebookJson;
        writeFileAtomic(outPath, storedNotebookText(executed, source));
        output = show(outPath);
        const detail = cellErrorText(executed, failure.codeCell);
        if (detail) failure = { ...failure, ...detail };
      }
    }
    return { notebook: nb, output, ok: false, elapsedS: (performance.now() - t0) / 1000, failure };
  };
  // A small pool: `jobs` notebooks at a time, results in notebook order.
  const results: NotebookResult[] = new Array(notebooks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < notebooks.length) {
      const i = next++;
      results[i] = await executeOne(notebooks[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.jobs ?? 1, notebooks.length)) }, worker));
  const ok = results.every((r) => r.ok);
  if (options.inplace) {
    for (const r of results) {
      if (r.ok) r.storedChanged = writeFileAtomic(join(root, r.notebook), readFileSync(join(outDir, basename(r.notebook))));
    }
  }
  return { outDir: show(outDir), results, ok };
}
