/**
 * How a board's total power is taken, chosen on the command line (`--input-rail`, `--sum-rails`)
 * or in the manifest (`input_rail`, `sum_rails`), and said in the output (issue 13).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../../../src/cli/main.js";
import { copyBundle, editManifest, ORIN } from "../bundle/helpers.js";

const fx = (rel: string) => fileURLToPath(new URL(`../../fixtures/${rel}`, import.meta.url));
const AGX = fx("real/tegrastats-agx-orin-jp6.log");

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(args, { stdout: (s) => void (out += s), stderr: (s) => void (err += s) });
  return { code, out, err };
}

/** Trapezoid over the lines' `HH:MM:SS` stamps of the sum of the named rails' first figures (mW), computed here. */
function agxEnergyJ(rails: string[]): number {
  const lines = readFileSync(AGX, "utf8").trim().split("\n");
  const t = lines.map((l) => {
    const [h, m, s] = / (\d\d):(\d\d):(\d\d) /.exec(l)!.slice(1).map(Number) as [number, number, number];
    return h * 3600 + m * 60 + s;
  });
  const p = lines.map((l) => rails.reduce((s, r) => s + Number(new RegExp(`${r} (\\d+)mW/`).exec(l)![1]) / 1000, 0));
  let e = 0;
  for (let i = 1; i < p.length; i++) e += ((p[i - 1]! + p[i]!) / 2) * (t[i]! - t[i - 1]!);
  return e;
}

describe("inspect: the total of a Jetson without an input rail", () => {
  it("applies AGX Orin's documented sum and says so, in JSON and in text", async () => {
    const r = await cli("inspect", AGX, "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.rail).toBe("VDD_GPU_SOC+VDD_CPU_CV+VIN_SYS_5V0");
    expect(j.total_rule).toMatch(/Jetson AGX Orin rule/);
    expect(j.energy_j).toBeCloseTo(agxEnergyJ(["VDD_GPU_SOC", "VDD_CPU_CV", "VIN_SYS_5V0"]), 9);
    const t = await cli("inspect", AGX);
    expect(t.out).toMatch(/total rule +sum VDD_GPU_SOC \+ VDD_CPU_CV \+ VIN_SYS_5V0 \(Jetson AGX Orin rule/);
  });

  it("takes --sum-rails and --input-rail instead, and names the choice", async () => {
    const s = JSON.parse((await cli("inspect", AGX, "--sum-rails", "VDD_GPU_SOC,VDD_CPU_CV", "--json")).out);
    expect(s.total_rule).toBe("sum VDD_GPU_SOC + VDD_CPU_CV (named by the caller)");
    expect(s.energy_j).toBeCloseTo(agxEnergyJ(["VDD_GPU_SOC", "VDD_CPU_CV"]), 9);
    const i = JSON.parse((await cli("inspect", AGX, "--input-rail", "VIN_SYS_5V0", "--json")).out);
    expect(i.rail).toBe("VIN_SYS_5V0");
    expect(i.energy_j).toBeCloseTo(agxEnergyJ(["VIN_SYS_5V0"]), 9);
  });

  it("refuses both flags at once, a one-rail sum, and a rail the log lacks (exit 2, with the flags)", async () => {
    expect((await cli("inspect", AGX, "--input-rail", "VIN", "--sum-rails", "A,B")).code).toBe(2);
    expect((await cli("inspect", AGX, "--sum-rails", "VDD_GPU_SOC")).code).toBe(2);
    const r = await cli("inspect", AGX, "--input-rail", "VDD_IN");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no total input rail \(VDD_IN\)/);
    expect(r.err).toMatch(/on the command line: --input-rail NAME/);
  });
});

describe("ingest: the total rule from the manifest or the command line", () => {
  it("reads input_rail / sum_rails from the manifest and names a chosen rule in the summary and the text", async () => {
    const dir = copyBundle(ORIN);
    editManifest(dir, (m) => (m.sum_rails = ["VDD_CPU_GPU_CV", "VDD_SOC"]));
    const out = mkdtempSync(join(tmpdir(), "slm-ingest-"));
    const r = await cli("ingest", dir, "--out", out, "--json");
    expect(r.code).toBe(0);
    const files = JSON.parse(r.out).runs[0].files as { role: string; total_rule?: string }[];
    expect(files.find((f) => f.role === "power")!.total_rule).toBe(
      "sum VDD_CPU_GPU_CV + VDD_SOC (named by the caller)",
    );
    // --input-rail replaces the manifest's choice; the text output names it.
    const t = await cli("ingest", dir, "--out", out, "--input-rail", "VDD_SOC");
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/power total of orin-gpu-llama32-hellaswag\/tegrastats\.log: input rail VDD_SOC \(named by/);
  });

  it("applies and names the AGX Orin rule for a bundle whose tegrastats has no input rail", async () => {
    const dir = copyBundle(ORIN);
    const p = join(dir, "tegrastats.log");
    const agx = readFileSync(p, "utf8")
      .replace(/VDD_IN /g, "VDD_GPU_SOC ")
      .replace(/VDD_CPU_GPU_CV /g, "VDD_CPU_CV ")
      .replace(/VDD_SOC /g, "VIN_SYS_5V0 ");
    writeFileSync(p, agx);
    const out = mkdtempSync(join(tmpdir(), "slm-ingest-"));
    const r = await cli("ingest", dir, "--out", out, "--json");
    expect(r.code).toBe(0);
    const files = JSON.parse(r.out).runs[0].files as { role: string; total_rule?: string }[];
    expect(files.find((f) => f.role === "power")!.total_rule).toMatch(
      /^sum VDD_GPU_SOC \+ VDD_CPU_CV \+ VIN_SYS_5V0 \(Jetson AGX Orin rule/,
    );
  });

  it("says nothing more for the board's own input rail (summaries unchanged)", async () => {
    const out = mkdtempSync(join(tmpdir(), "slm-ingest-"));
    const r = await cli("ingest", ORIN, "--out", out, "--json");
    const files = JSON.parse(r.out).runs[0].files as Record<string, unknown>[];
    expect(files.every((f) => !("total_rule" in f))).toBe(true);
    expect(r.out).not.toMatch(/total_rule/);
  });

  it("refuses a manifest with both input_rail and sum_rails, or a sum of one rail", async () => {
    const dir = copyBundle(ORIN);
    editManifest(dir, (m) => {
      m.input_rail = "VDD_IN";
      m.sum_rails = ["VDD_SOC", "VDD_CPU_GPU_CV"];
    });
    const out = mkdtempSync(join(tmpdir(), "slm-ingest-"));
    let r = await cli("ingest", dir, "--out", out);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/field "sum_rails": give input_rail or sum_rails, not both/);
    editManifest(dir, (m) => {
      delete m.input_rail;
      m.sum_rails = ["VDD_SOC"];
    });
    r = await cli("ingest", dir, "--out", out);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/field "sum_rails": expected a list of 2 name\(s\) or more/);
  });
});
