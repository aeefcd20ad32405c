import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { calibrateCommand } from "../../src/cli/commands/calibrate.js";
import { RUN_COLUMNS } from "../../src/io/processed-tables.js";
import { formatCsv } from "../../src/io/csv.js";
import { parseCalibration } from "../../src/io/calibration.js";
import { runCommand } from "./run-command.js";
import { syntheticStudy } from "./synthetic.js";

const dir = mkdtempSync(join(tmpdir(), "slm-calibrate-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A runs.csv as `slm-energy ingest` writes it, from synthetic cells (measured token counts included). */
function runsCsv(): string {
  const rows = syntheticStudy(0.03, 4)
    .filter((o) => o.benchmark !== "mmlu")
    .map((o, i) => {
      const row: Record<string, unknown> = Object.fromEntries(RUN_COLUMNS.map((c) => [c, ""]));
      Object.assign(row, {
        run_id: `r${i}`,
        device: o.device,
        backend: o.backend,
        power_mode: o.powerMode,
        model: o.model,
        quantization: o.quant,
        runtime: "llama.cpp",
        benchmark: o.benchmark,
        simulated: "false",
        inferences: 100,
        latency_s: o.latencyS,
        energy_per_inference_wh: o.energyWh,
        prompt_tokens: Math.round((o.reportedTokensPerInference ?? 0) * 100),
        gen_tokens: 0,
      });
      return row;
    });
  rows[0]!.energy_per_inference_wh = ""; // a run without a power log
  rows[1]!.device = "pi-4"; // a board the catalog does not know
  return formatCsv(RUN_COLUMNS, rows);
}

describe("calibrate", () => {
  it("calibrates on ingested runs, rejecting unusable rows with file, line and reason", async () => {
    const runs = join(dir, "runs.csv");
    writeFileSync(runs, runsCsv());
    const out = join(dir, "runs-cal.json");
    const r = await runCommand(calibrateCommand, ["--no-paper", "--data", runs, "--out", out, "--bootstrap", "5"]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/rejected .*runs\.csv:2: no energy per inference/);
    expect(r.err).toMatch(/rejected .*runs\.csv:3: unknown device "pi-4"/);
    const cal = parseCalibration(readFileSync(out, "utf8"), out);
    expect(cal.source.observations).toBe(30);
    expect(cal.source.rejected).toHaveLength(2);
    expect(cal.fit.latency.mapePct).toBeLessThan(5);
  });

  it("issue 13 #26: rejects a row whose energy is 1e308 (an impossible mean power), never writing nulls", async () => {
    const lines = runsCsv().trimEnd().split("\n");
    const header = lines[0]!.split(",");
    const col = header.indexOf("energy_per_inference_wh");
    const cells = lines[4]!.split(",");
    cells[col] = "1e308";
    lines[4] = cells.join(",");
    const runs = join(dir, "runs-1e308.csv");
    writeFileSync(runs, lines.join("\n") + "\n");
    const out = join(dir, "runs-1e308-cal.json");
    const r = await runCommand(calibrateCommand, ["--no-paper", "--data", runs, "--out", out, "--bootstrap", "5"]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(
      /rejected .*runs-1e308\.csv:5: energy_per_inference_wh 1e\+308 over latency_s [\d.e+-]+ is a mean power of/,
    );
    const text = readFileSync(out, "utf8");
    const cal = parseCalibration(text, out);
    expect(cal.source.observations).toBe(29);
    expect(cal.source.rejected).toHaveLength(3);
    expect(JSON.stringify(cal.estimate)).not.toContain("null");
    expect(JSON.stringify(cal.fit)).not.toContain("null");
  });

  it("is idempotent: calibrating the paper again leaves the file untouched", async () => {
    const out = join(dir, "paper.json");
    const a = await runCommand(calibrateCommand, ["--out", out, "--bootstrap", "5"]);
    expect(a.out).toMatch(/wrote/);
    const mtime = statSync(out).mtimeMs;
    const b = await runCommand(calibrateCommand, ["--out", out, "--bootstrap", "5"]);
    expect(b.out).toMatch(/unchanged/);
    expect(statSync(out).mtimeMs).toBe(mtime);
  });

  it("applies an override of the paper profile's quantization", async () => {
    const out = join(dir, "q4.json");
    const r = await runCommand(calibrateCommand, ["--out", out, "--bootstrap", "0", "--quant", "llama-3.2-1b=Q4_0"]);
    expect(r.code).toBe(0);
    expect(parseCalibration(readFileSync(out, "utf8"), out).assumptions.quantByModel["llama-3.2-1b"]).toBe("Q4_0");
  });

  it("refuses --no-paper without data, and a malformed override", async () => {
    expect((await runCommand(calibrateCommand, ["--no-paper"])).code).toBe(2);
    expect((await runCommand(calibrateCommand, ["--quant", "llama-3.2-1b"])).code).toBe(2);
  });

  it("names the option of an override that names no catalog model, and a bad --bootstrap", async () => {
    const q = await runCommand(calibrateCommand, ["--bootstrap", "0", "--quant", "llama-9b=Q4_0"]);
    expect(q.code).toBe(2);
    expect(q.err).toMatch(/--quant: the quantization override names unknown model "llama-9b"/);
    const b = await runCommand(calibrateCommand, ["--bootstrap", "5001"]);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/--bootstrap must be an integer ≥ 0 and ≤ 5000 \(got "5001"\)/);
  });
});
