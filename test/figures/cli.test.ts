import { describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../helpers.js";
import { FIGURE_NAMES } from "../../src/figures/registry.js";

describe("slm-energy figures (argument handling; rendering is covered by render.test.ts)", () => {
  it("prints its help with the formats and every figure name", async () => {
    const r = await runCli(["figures", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--format");
    for (const n of FIGURE_NAMES) expect(r.stdout).toContain(n);
  });

  it("lists the figures", async () => {
    const r = await runCli(["figures", "--list"]);
    expect(r.stdout.trim().split("\n")).toEqual([...FIGURE_NAMES]);
  });

  it("rejects an unknown format with exit code 2, naming the valid ones", async () => {
    const r = await runCli(["figures", "--format", "svg,jpeg"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown format "jpeg"');
    expect(r.stderr).toContain("svg, png, pdf, html");
  });

  it("rejects an unknown figure with exit code 2, naming the valid ones", async () => {
    const r = await runCli(["figures", "--only", "energy"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown figure "energy"');
    expect(r.stderr).toContain("energy-per-inference");
  });

  it("writes just the figures and formats asked for, and says what it wrote", async () => {
    const out = mkdtempSync(join(tmpdir(), "slm-figures-cli-"));
    try {
      const r = await runCli(["figures", "--only", "energy-per-inference", "--format", "svg,html", "--out", out]);
      expect(r.code).toBe(0);
      expect(readdirSync(out).sort()).toEqual(["energy-per-inference.svg", "html"]);
      expect(existsSync(join(out, "html", "energy-per-inference.html"))).toBe(true);
      expect(r.stdout).toMatch(/1 figures × svg, html: \d+ files written, 0 unchanged/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
