import { appendFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderTables } from "../../../src/io/processed-tables.js";
import { ingestBundle, ingestBundles } from "../../../src/pipeline/ingest/bundle.js";
import { writeTables } from "../../../src/pipeline/ingest/tables.js";
import { copyBundle, editManifest, ORIN, RPI } from "./helpers.js";

describe("row-level problems go to the quarantine table, counted, never dropped", () => {
  it("quarantines a truncated JSONL line and a garbled tegrastats line, keeping the rest", async () => {
    const dir = copyBundle(ORIN);
    const jl = readFileSync(join(dir, "inferences.jsonl"), "utf8").split("\n");
    jl[3] = jl[3]!.slice(0, 57);
    writeFileSync(join(dir, "inferences.jsonl"), jl.join("\n"));
    const tl = readFileSync(join(dir, "tegrastats.log"), "utf8").split("\n");
    tl[29] = tl[29]!.replace(/VDD_IN \d+mW/, "VDD_IN ???mW");
    writeFileSync(join(dir, "tegrastats.log"), tl.join("\n"));
    const b = await ingestBundle(dir);
    expect(b.inferences.map((r) => r.index)).toEqual([0, 1, 2, 4, 5, 6, 7]);
    expect(b.quarantined.map((q) => [q.file, q.line])).toEqual(
      expect.arrayContaining([
        ["orin-gpu-llama32-hellaswag/inferences.jsonl", 4],
        ["orin-gpu-llama32-hellaswag/tegrastats.log", 30],
      ]),
    );
    expect(b.run.quarantined).toBe(b.quarantined.length);
    const tables = renderTables([b]);
    expect(tables.quarantine.split("\n")[0]).toBe("file,line,text,reason");
    expect(tables.quarantine).toMatch(/orin-gpu-llama32-hellaswag\/inferences\.jsonl,4,/);
    expect(JSON.parse(tables.summary).totals.quarantined).toBe(b.quarantined.length);
  });

  it("leaves energy empty (and says why) when the power log does not cover an inference", async () => {
    const dir = copyBundle(ORIN);
    const lines = readFileSync(join(dir, "tegrastats.log"), "utf8").trim().split("\n");
    writeFileSync(join(dir, "tegrastats.log"), lines.slice(0, 150).join("\n") + "\n"); // stops at 14.9 s
    const b = await ingestBundle(dir);
    const last = b.inferences[7]!;
    expect(last.energyGrossJ).toBeNull();
    expect(last.warnings.map((w) => w.message).join()).toMatch(/no power data|covers 0\.0 %/);
    expect(b.inferences[6]!.energyGrossJ).toBeNull(); // 14.554 … 15.748 s: partly covered
    expect(b.inferences[6]!.warnings.map((w) => w.message).join()).toMatch(/covers \d+\.\d %/);
    expect(b.run.gross.energyWh).toBeNull();
    expect(b.warnings.map((w) => w.message)).toContain(
      "2 of 8 inferences have no energy (see their warnings): run energy metrics left empty",
    );
  });

  it("gives timing-only rows (no energy, a reason) when a bundle has no power log", async () => {
    const dir = copyBundle(RPI);
    editManifest(dir, (m) => {
      m.files = { inference: ["llama-server.log"] };
      delete m.placement;
    });
    const b = await ingestBundle(dir);
    expect(b.inferences.every((r) => r.energyGrossJ === null)).toBe(true);
    expect(b.run.gross.latencyS).toBeCloseTo(4.181026, 9);
    expect(b.run.gross.energyWh).toBeNull();
    expect(b.warnings.map((w) => w.message)).toContain(
      "no power log in the bundle (files.power): timings only, energy not measured",
    );
  });

  it("without placement, a timeless log gets no energy and each row says how to fix it", async () => {
    const dir = copyBundle(RPI);
    editManifest(dir, (m) => delete m.placement);
    const b = await ingestBundle(dir);
    expect(b.inferences[0]!.warnings).toEqual([
      {
        code: "no-wall-clock",
        message: "no wall-clock times: energy not computed (give the manifest a placement to place such logs)",
      },
    ]);
  });
});

describe("idempotence", () => {
  it("writes byte-identical tables when the same bundles are ingested twice, wherever the bundles lie", async () => {
    const out1 = mkdtempSync(join(tmpdir(), "slm-out-"));
    const out2 = mkdtempSync(join(tmpdir(), "slm-out-"));
    const first = writeTables(out1, await ingestBundles([ORIN, RPI]));
    expect(first.every((f) => f.changed)).toBe(true);
    const again = writeTables(out1, await ingestBundles([RPI, ORIN]));
    expect(again.every((f) => !f.changed)).toBe(true);
    writeTables(out2, await ingestBundles([copyBundle(ORIN), copyBundle(RPI)]));
    for (const f of readdirSync(out1))
      expect(readFileSync(join(out2, f)).equals(readFileSync(join(out1, f)))).toBe(true);
    expect(readdirSync(out1).sort()).toEqual(["inferences.csv", "ingest-summary.json", "quarantine.csv", "runs.csv"]);
  });

  it("writes numbers in fixed formats: µs epoch times, 10 significant digits, no exponents", async () => {
    const t = renderTables(await ingestBundles([ORIN]));
    const row = t.inferences.split("\n")[1]!.split(",");
    const header = t.inferences.split("\n")[0]!.split(",");
    const cell = (k: string) => row[header.indexOf(k)]!;
    expect(cell("start_s")).toBe("1763712006.4");
    expect(cell("end_s")).toBe("1763712007.424");
    expect(cell("energy_gross_j")).toMatch(/^\d+\.\d{1,9}$/);
    expect(t.runs).not.toMatch(/e[+-]\d/);
  });

  it("changes the tables when a raw file changes (the sha256 and line ranges follow the data)", async () => {
    const dir = copyBundle(ORIN);
    const a = renderTables([await ingestBundle(dir)]);
    appendFileSync(join(dir, "tegrastats.log"), "\n");
    const b = renderTables([await ingestBundle(dir)]);
    expect(a.inferences).not.toBe(b.inferences);
    expect(a.inferences.replace(/[0-9a-f]{64}/g, "")).toBe(b.inferences.replace(/[0-9a-f]{64}/g, ""));
  });
});
