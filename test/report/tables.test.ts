import { describe, expect, it } from "vitest";
import { runAudit } from "../../src/audit/audit.js";
import { loadPaper } from "../../src/io/paper.js";
import { formatLike, regeneratedText } from "../../src/report/format.js";
import { tableToCsv, tableToLatex, tableToMarkdown } from "../../src/report/render.js";
import { regenerateTables } from "../../src/report/tables.js";
import { parseCsv } from "../../src/io/csv.js";
import { ROOT } from "../helpers.js";

const paper = loadPaper(ROOT);
const audit = runAudit(paper);
const tables = regenerateTables(paper, audit);

describe("formatting like the paper", () => {
  it("keeps the printed style: decimals, scientific notation, thousands separators", () => {
    expect(formatLike(1.3257e8, "1.33e8")).toBe("1.33e8");
    expect(formatLike(1.825e11, "1.83e10")).toBe("1.83e11");
    expect(formatLike(0.43412, "0.434")).toBe("0.434");
    expect(formatLike(175690.2, "175,690")).toBe("175,690");
  });
  it("prints the published text when it lies within the recomputation's rounding", () => {
    expect(regeneratedText("6.91", 6.9035, 6.9086)).toBe("6.91");
    expect(regeneratedText("4.56e8", 1.641e9, 1.642e9)).toBe("1.64e9");
  });
});

describe("the regenerated tables", () => {
  it("are the paper's three numeric tables with every cell present", () => {
    expect(tables.map((t) => t.name)).toEqual(["consolidated", "throughput", "normalized"]);
    const cells = tables.flatMap((t) => t.rows.flatMap((r) => Object.values(r.cells)));
    expect(cells).toHaveLength(paper.cells.length);
  });

  it("match the published value wherever the audit says consistent, and differ where it does not", () => {
    for (const t of tables) {
      for (const r of t.rows) {
        for (const c of Object.values(r.cells)) {
          if (c.verdict === "consistent" || c.verdict === null)
            expect(c.regenerated, `${t.name} ${c.cell.model} ${c.cell.metric}`).toBe(c.published);
          if (c.verdict === "unit-factor" || c.verdict === "typo") expect(c.regenerated).not.toBe(c.published);
        }
      }
    }
  });

  it("CSV puts the published value beside the regenerated one, for every cell", () => {
    const t = tables[0]!;
    const { records } = parseCsv(tableToCsv(t), "consolidated.csv");
    expect(records).toHaveLength(192);
    const edp = records.find(
      (r) =>
        r.values.device === "jetson-nano" &&
        r.values.model === "llama-3.2-1b" &&
        r.values.benchmark === "hellaswag" &&
        r.values.metric === "edp_js",
    )!;
    expect(edp.values.published).toBe("4.56e8");
    expect(edp.values.regenerated).toBe("1.64e9");
    expect(edp.values.verdict).toBe("unit-factor");
    expect(edp.values.differs).toBe("true");
  });

  it("Markdown and LaTeX have one line per printed row and the same number of columns in every row", () => {
    for (const t of tables) {
      const md = tableToMarkdown(t)
        .split("\n")
        .filter((l) => l.startsWith("| "));
      const widths = new Set(md.map((l) => l.split(/(?<!\\)\|/).length));
      expect(widths.size, t.name).toBe(1);
      expect(md.length).toBe(t.rows.length + 2);
      const tex = tableToLatex(t);
      expect(tex.match(/\\begin\{tabular\}/g)).toHaveLength(1);
      const body = tex.split("\\midrule")[1]!.split("\\bottomrule")[0]!.trim().split("\n");
      expect(body).toHaveLength(t.rows.length);
      for (const line of body)
        expect(line.split(/(?<!\\)&/).length).toBe(
          t.rowLabelHeaders.length + t.groups.reduce((n, g) => n + g.columns.length, 0),
        );
    }
  });
});
