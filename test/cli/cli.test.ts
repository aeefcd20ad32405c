import { readFileSync, writeFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/commands/index.js";
import { runCli, scratchRoot, ROOT } from "../helpers.js";
import { runAudit } from "../../src/audit/audit.js";
import { loadPaper } from "../../src/io/paper.js";
import { auditFindingsMarkdown } from "../../src/report/audit-report.js";
import { updateReadmeSections } from "../../src/pipeline/report.js";
import { samplingFindingsMarkdown } from "../../src/simulate/study-report.js";
import { runSamplingStudy } from "../../src/simulate/study.js";

describe("slm-energy CLI", () => {
  it("--help works for every command, and an unknown command is a usage error (exit 2)", async () => {
    for (const c of COMMANDS) {
      const r = await runCli([c.name, "--help"]);
      expect(r.code, c.name).toBe(0);
      expect(r.stdout, c.name).toMatch(/Usage:[\s\S]*slm-energy/);
    }
    const bad = await runCli(["no-such-command"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown command/);
    const badOpt = await runCli(["paper", "--no-such-option"]);
    expect(badOpt.code).toBe(2);
    const badStep = await runCli(["reproduce", "--only", "nonsense"]);
    expect(badStep.code).toBe(2);
    expect(badStep.stderr).toMatch(
      /unknown step "nonsense"[\s\S]*steps are: ingest, calibrate, validate, validate-corpus, tables/,
    );
  });

  it("paper --json prints one object per published cell with the documented fields", async () => {
    const r = await runCli(["paper", "--json"]);
    expect(r.code).toBe(0);
    const { cells } = JSON.parse(r.stdout) as { cells: Record<string, unknown>[] };
    expect(cells).toHaveLength(368);
    for (const c of cells) {
      for (const k of ["table", "device", "backend", "model", "benchmark", "metric", "value"])
        expect(c).toHaveProperty(k);
    }
    expect(new Set(cells.map((c) => c.table))).toEqual(new Set(["consolidated", "throughput", "normalized"]));
    expect(cells.filter((c) => c.table === "normalized").every((c) => c.benchmark === null)).toBe(true);
    const phi = cells.find(
      (c) =>
        c.device === "jetson-nano" && c.model === "phi-3-mini" && c.benchmark === "mmlu" && c.metric === "energy_wh",
    );
    expect(phi?.value).toBe(274.62);
  });

  it("audit --json prints cells with published, recomputed, ratio, verdict and explanation, and a summary", async () => {
    const r = await runCli(["audit", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as {
      cells: Record<string, unknown>[];
      summary: { byVerdict: Record<string, number> };
    };
    for (const k of [
      "table",
      "device",
      "backend",
      "model",
      "benchmark",
      "metric",
      "published",
      "recomputed",
      "ratio",
      "verdict",
      "explanation",
    ]) {
      expect(j.cells[0]).toHaveProperty(k);
    }
    expect(Object.values(j.summary.byVerdict).reduce((a, b) => a + b, 0)).toBe(j.cells.length);
  });

  it("reproduce writes tables and audit atomically, and a second run changes nothing", async () => {
    const root = scratchRoot();
    const first = await runCli(["reproduce", "--only", "tables"], root);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/wrote +figures\/tables\/consolidated\.csv/);
    const files = readdirSync(join(root, "figures/tables")).sort();
    expect(files).toEqual(
      expect.arrayContaining([
        "audit.json",
        "audit.md",
        "consolidated.csv",
        "consolidated.md",
        "consolidated.tex",
        "normalized.tex",
        "throughput.md",
      ]),
    );
    expect(files.some((f) => f.endsWith(".tmp"))).toBe(false);
    const snapshot = files.map((f) => readFileSync(join(root, "figures/tables", f), "utf8"));
    const second = await runCli(["reproduce", "--only", "tables"], root);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/0 changed\./);
    expect(files.map((f) => readFileSync(join(root, "figures/tables", f), "utf8"))).toEqual(snapshot);
  });

  it("a damaged data file stops with exit 2 and names file, line and field", async () => {
    const root = scratchRoot();
    const path = join(root, "data/paper/consolidated.csv");
    const lines = readFileSync(path, "utf8").split("\n");
    lines[3] = lines[3]!.replace(",10.9,", ",ten,");
    writeFileSync(path, lines.join("\n"));
    const r = await runCli(["audit"], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/consolidated\.csv:4: field "energy_wh\.mmlu": not a printed number/);
    expect(r.stderr).toMatch(/hint:/);
  });

  it("the README's generated sections are what the audit and the sampling study generate (not typed by hand)", async () => {
    const committed = readFileSync(join(ROOT, "README.md"), "utf8");
    const section = (s: string, name: string): string =>
      s.slice(s.indexOf(`<!-- ${name}:start`), s.indexOf(`<!-- ${name}:end`));
    const root = scratchRoot();
    updateReadmeSections(root, {
      audit: auditFindingsMarkdown(runAudit(loadPaper(root))),
      sampling: samplingFindingsMarkdown(runSamplingStudy()),
    });
    const generated = readFileSync(join(root, "README.md"), "utf8");
    expect(section(generated, "audit")).toMatch(/derived cells\*\* were recomputed/);
    expect(section(committed, "audit")).toBe(section(generated, "audit"));
    expect(section(generated, "sampling")).toMatch(/At 1 Hz/);
    expect(section(committed, "sampling")).toBe(section(generated, "sampling"));
  });
});
