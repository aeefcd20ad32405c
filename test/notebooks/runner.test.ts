import { describe, expect, it } from "vitest";
import {
  cellErrorText,
  codeCellIndexOf,
  notebookEnv,
  parseNbconvertFailure,
  storedNotebookText,
  withExecutionCounts,
} from "../../src/notebooks/nbformat.js";
import { discoverNotebooks } from "../../src/pipeline/notebooks/runner.js";
import { ROOT } from "../helpers.js";

// nbconvert's report when a tslab cell fails (abridged from a real run).
const NBCONVERT_FAILURE = `[NbConvertApp] Converting notebook notebooks/bad.ipynb to notebook
Traceback (most recent call last):
  File "/usr/lib/python3/dist-packages/nbclient/client.py", line 915, in _check_raise_for_error
    raise CellExecutionError.from_cell_and_msg(cell, exec_reply_content)
nbclient.exceptions.CellExecutionError: An error occurred while executing the following cell:
------------------
const o = { a };
console.log(o);
------------------


<Error>: 
`;

const nb = (
  cells: { cell_type: string; source: string; outputs?: unknown[]; id?: string; metadata?: Record<string, unknown> }[],
) => ({
  cells: cells.map((c) => ({ metadata: {}, ...c })) as never,
  metadata: { kernelspec: { name: "tslab" } },
  nbformat: 4,
  nbformat_minor: 5,
});

describe("reading a failed execution", () => {
  it("finds the failing cell's source in nbconvert's report", () => {
    const f = parseNbconvertFailure(NBCONVERT_FAILURE);
    expect(f.cellSource).toBe("const o = { a };\nconsole.log(o);");
    expect(f.timeout).toBe(false);
  });

  it("names the last error line when no cell ran (e.g. no such kernel)", () => {
    const f = parseNbconvertFailure(
      "Traceback …\njupyter_client.kernelspec.NoSuchKernel: No such kernel named tslab\n",
    );
    expect(f.cellSource).toBeNull();
    expect(f.ename).toBe("NoSuchKernel");
    expect(f.evalue).toBe("No such kernel named tslab");
  });

  it("counts code cells only, 1-based, when locating the failing cell", () => {
    const book = nb([
      { cell_type: "markdown", source: "# title" },
      { cell_type: "code", source: "const a = 1;" },
      { cell_type: "code", source: "const o = { a };\nconsole.log(o);" },
    ]);
    expect(codeCellIndexOf(book, "const o = { a };\nconsole.log(o);")).toBe(2);
    expect(codeCellIndexOf(book, "nowhere")).toBeNull();
  });

  it("quotes the exception tslab printed to stderr", () => {
    const book = nb([
      {
        cell_type: "code",
        source: 'throw new Error("boom");',
        outputs: [
          {
            output_type: "stream",
            name: "stderr",
            text: [
              "evalmachine.<anonymous>:2\n",
              'throw new Error("boom");\n',
              "^\n",
              "\n",
              "Error: boom\n",
              "    at evalmachine.<anonymous>:2:7\n",
            ],
          },
        ],
      },
      {
        cell_type: "code",
        source: "x",
        outputs: [
          { output_type: "stream", name: "stderr", text: "1:7 - Type 'string' is not assignable to type 'number'.\n" },
        ],
      },
    ]);
    expect(cellErrorText(book, 1)).toEqual({ ename: "Error", evalue: "boom" });
    expect(cellErrorText(book, 2)).toEqual({
      ename: "TypeScriptError",
      evalue: "at cell line 1:7 - Type 'string' is not assignable to type 'number'.",
    });
  });
});

describe("storing executed notebooks", () => {
  it("drops execution timestamps, sorts keys and gives id-less cells stable ids", () => {
    const source = nb([{ cell_type: "code", source: "1" }]);
    const executed = nb([
      {
        cell_type: "code",
        source: "1",
        id: "a8f3c2e1",
        metadata: { execution: { "iopub.status.busy": "2026-11-21T06:00:00Z" } },
        outputs: [],
      },
    ]);
    const text = storedNotebookText(executed, source);
    expect(text).not.toContain("iopub");
    expect(text).not.toContain("a8f3c2e1");
    expect(JSON.parse(text).cells[0].id).toBe("cell-01");
    expect(text.indexOf('"cells"')).toBeLessThan(text.indexOf('"metadata": {\n  "kernelspec"'));
    expect(storedNotebookText(executed, source)).toBe(text);
  });
});

describe("finding notebooks and their kernel", () => {
  it("runs every .ipynb in notebooks/, in name order", () => {
    const found = discoverNotebooks(ROOT);
    expect(found).toContain("notebooks/01-reproduce-the-paper.ipynb");
    expect(found).toContain("notebooks/02-figures.ipynb");
    expect([...found].sort()).toEqual(found);
  });

  it("points Jupyter at the project-local kernelspec and puts tslab on PATH", () => {
    const env = notebookEnv("/p", { PATH: "/usr/bin" });
    expect(env.JUPYTER_PATH).toBe("/p/.jupyter/share/jupyter");
    expect(env.PATH).toBe("/p/node_modules/.bin:/usr/bin");
    expect(env.SLM_ENERGY_ROOT).toBe("/p");
  });
});

describe("withExecutionCounts", () => {
  it("numbers the code cells an nbconvert run of tslab left without a count, as the kernel counted them", () => {
    const cell = (cell_type: string, source: string, execution_count: number | null = null) => ({
      cell_type,
      source,
      metadata: {},
      execution_count,
      outputs: [],
    });
    const nb = { cells: [cell("markdown", "# t"), cell("code", "1"), cell("code", "  \n"), cell("code", "2")] };
    const counted = withExecutionCounts(nb).cells.map(
      (c) => (c as { execution_count?: number | null }).execution_count,
    );
    expect(counted).toEqual([null, 1, null, 2]);
    expect(nb.cells[1]!.execution_count).toBeNull(); // the input is not changed
  });
});
