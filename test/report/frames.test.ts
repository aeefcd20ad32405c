import { describe, expect, it } from "vitest";
import { runAudit } from "../../src/audit/audit.js";
import { loadPaper } from "../../src/io/paper.js";
import { auditFrame, paperFrame, regeneratedFrame } from "../../src/report/frames.js";
import { regenerateTables } from "../../src/report/tables.js";
import { ROOT } from "../helpers.js";

const paper = loadPaper(ROOT);
const audit = runAudit(paper);

describe("danfojs frames for notebooks", () => {
  it("the published cells as a long frame keep float64 values (no float32 round trip)", () => {
    const df = paperFrame(paper.cells);
    expect(df.shape).toEqual([368, 8]);
    const values = df["value"].values as number[];
    expect(values).toContain(274.62);
    expect(values).toContain(0.00223);
  });
  it("the audit's discrepancies as a frame", () => {
    const df = auditFrame(audit, { discrepanciesOnly: true });
    expect(df.shape[0]).toBe(audit.cells.filter((c) => c.verdict !== "consistent").length);
    expect(new Set(df["verdict"].values as string[])).not.toContain("consistent");
  });
  it("a regenerated table in the paper's layout: 16 rows, 2 label columns + 12 values", () => {
    const df = regeneratedFrame(regenerateTables(paper, audit)[0]!);
    expect(df.shape).toEqual([16, 14]);
    expect((df["Device"].values as string[])[0]).toBe("Raspberry Pi 5");
  });
});
