import { resolve } from "node:path";
import type { Command } from "../command.js";
import { optFlag, optInt, optList, optString } from "../command.js";
import { discoverNotebooks, runNotebooks, type NotebookResult } from "../../pipeline/notebooks/runner.js";

const usage = `Usage: slm-energy notebooks [--inplace] [--only NAME[,NAME…]] [--out DIR] [--timeout S] [--jobs N]
                            [--json] [--list]

Executes every notebook in notebooks/ headless with Debian's Jupyter (nbconvert) and the
project-local tslab kernel (.jupyter/share/jupyter, registered by scripts/setup.sh), each into a
fresh output folder (default .cache/notebooks/run-<UTC time>/; the newest 5 runs are kept).
A notebook fails when any of its cells raises: the report names the code cell and the error.
Adding a notebook is dropping a .ipynb file into notebooks/.

Options:
  --inplace      also store the executed notebooks, with their outputs, back into notebooks/
                 (only those that ran without an error; unchanged files are not touched)
  --only LIST    notebooks to run, by file name with or without .ipynb (default: all)
  --out DIR      output folder (relative to the current folder) instead of a fresh one under .cache/notebooks/
  --timeout S    per-cell timeout in seconds (default 300)
  --jobs N       notebooks to run at once, each with its own kernel (default 1)
  --json         print {"outDir", "ok", "results": [{notebook, output, ok, elapsedS, storedChanged?, failure?}]}
  --list         print the notebooks and exit

\`npm run notebooks\` runs this after scripts/setup.sh; \`npm run notebooks -- --inplace\` refreshes
the stored outputs.
Exit codes: 0 every notebook ran, 1 a notebook failed or Jupyter is missing, 2 bad usage.`;

function describe(r: NotebookResult): string {
  if (r.ok) {
    const stored =
      r.storedChanged === undefined ? "" : r.storedChanged ? ", stored outputs updated" : ", stored outputs unchanged";
    return `ok      ${r.notebook} (${r.elapsedS.toFixed(1)} s)${stored}`;
  }
  const f = r.failure!;
  const where = f.codeCell === null ? "" : ` in code cell ${f.codeCell}`;
  const lines = [`FAILED  ${r.notebook}${where}: ${f.ename}: ${f.evalue}`];
  if (f.source) lines.push(...f.source.split("\n").map((l) => `        | ${l}`));
  if (f.log) lines.push(...f.log.split("\n").map((l) => `        > ${l}`));
  return lines.join("\n");
}

export const notebooksCommand: Command = {
  name: "notebooks",
  summary: "execute every notebook headless with Jupyter and the tslab kernel (--inplace stores outputs)",
  usage,
  options: {
    inplace: { type: "boolean" },
    only: { type: "string", multiple: true },
    out: { type: "string" },
    timeout: { type: "string" },
    jobs: { type: "string" },
    json: { type: "boolean" },
    list: { type: "boolean" },
  },
  async run(ctx) {
    if (optFlag(ctx, "list")) {
      ctx.stdout(discoverNotebooks(ctx.root).join("\n") + "\n");
      return 0;
    }
    const cellTimeoutS = optInt(ctx, "timeout", { min: 1 });
    const jobs = optInt(ctx, "jobs", { min: 1 }) ?? 1;
    const only = optList(ctx, "only");
    const out = optString(ctx, "out");
    const json = optFlag(ctx, "json");
    const result = await runNotebooks({
      root: ctx.root,
      inplace: optFlag(ctx, "inplace"),
      jobs,
      ...(only === undefined ? {} : { only }),
      ...(out === undefined ? {} : { outDir: resolve(process.cwd(), out) }),
      ...(cellTimeoutS === undefined ? {} : { cellTimeoutS }),
      ...(json ? {} : { onStart: (nb: string) => ctx.stderr(`running ${nb} …\n`) }),
    });
    if (json) ctx.stdout(JSON.stringify(result, null, 2) + "\n");
    else {
      for (const r of result.results) ctx.stdout(describe(r) + "\n");
      const failed = result.results.filter((r) => !r.ok).length;
      ctx.stdout(
        `${result.results.length - failed}/${result.results.length} notebooks ran cleanly; ` +
          `executed copies in ${result.outDir}/\n`,
      );
    }
    return result.ok ? 0 : 1;
  },
};
