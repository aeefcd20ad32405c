/**
 * Jupyter notebooks as files and as nbconvert reports on them: the stored form (stable bytes), where
 * a failed run failed, the environment the kernel runs in. Pure; `pipeline/notebooks/runner.ts`
 * runs Jupyter and reads and writes the files.
 */
import { delimiter, join } from "node:path";

/** The project-local Jupyter data folder holding the tslab kernelspec (written by scripts/setup.sh). */
export const JUPYTER_DATA_DIR = ".jupyter/share/jupyter";

/** The parts of an .ipynb document the runner reads (nbformat 4). */
export interface NotebookJson {
  cells: {
    cell_type: string;
    source: string | string[];
    metadata?: Record<string, unknown>;
    outputs?: { output_type: string; ename?: string; evalue?: string }[];
  }[];
  [k: string]: unknown;
}

export const sourceText = (cell: NotebookJson["cells"][number]): string =>
  Array.isArray(cell.source) ? cell.source.join("") : cell.source;
export const firstLines = (text: string, n = 6): string => text.split("\n").slice(0, n).join("\n");

/**
 * The environment Jupyter and the kernel run in: project-local kernelspec, data (the notebook trust
 * database), runtime and config folders instead of $HOME's, tslab on PATH.
 */
export function notebookEnv(root: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...base,
    JUPYTER_PATH: join(root, JUPYTER_DATA_DIR),
    JUPYTER_DATA_DIR: join(root, JUPYTER_DATA_DIR),
    JUPYTER_RUNTIME_DIR: join(root, ".jupyter", "runtime"),
    JUPYTER_CONFIG_DIR: join(root, ".jupyter", "config"),
    JUPYTER_PLATFORM_DIRS: "1",
    PATH: [join(root, "node_modules", ".bin"), base.PATH ?? ""].join(delimiter),
    SLM_ENERGY_ROOT: root,
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
  };
}

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
  const after = m[2]!
    .trim()
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
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
      const lines = (Array.isArray(out.text) ? out.text.join("") : (out.text ?? "")).split("\n").map((l) => l.trim());
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
 * An executed notebook with every code cell's execution count, as Jupyter shows `In [n]`. nbconvert
 * takes counts from the kernel's `execute_input` message, which tslab never sends, so its copies
 * come back without any; the runner executes each cell once, in order, in a fresh kernel, which is
 * exactly what tslab's own counter numbers 1, 2, 3 … (blank cells are not sent and get no count).
 */
export function withExecutionCounts(nb: NotebookJson): NotebookJson {
  const out = structuredClone(nb);
  let n = 0;
  for (const cell of out.cells) {
    if (cell.cell_type !== "code" || sourceText(cell).trim() === "") continue;
    n++;
    const c = cell as { execution_count?: number | null };
    if (c.execution_count === null || c.execution_count === undefined) c.execution_count = n;
  }
  return out;
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
    if (source && source.cells[i] && !("id" in source.cells[i]))
      (cell as { id?: string }).id = `cell-${String(i + 1).padStart(2, "0")}`;
  });
  return JSON.stringify(sortKeys(clean), null, 1) + "\n";
}

function sortKeys(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(sortKeys);
  if (x && typeof x === "object") {
    return Object.fromEntries(
      Object.keys(x)
        .sort()
        .map((k) => [k, sortKeys((x as Record<string, unknown>)[k])]),
    );
  }
  return x;
}
