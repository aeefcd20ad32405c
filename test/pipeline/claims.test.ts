import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeClaimsReport } from "../../src/pipeline/claims.js";
import { paper } from "../claims/helpers.js";

const dir = mkdtempSync(join(tmpdir(), "claims-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("writeClaimsReport", () => {
  it("writes claims.md, claims.json and the statistics tables, and rewrites nothing on a second run", () => {
    const first = writeClaimsReport(process.cwd(), dir, paper());
    const names = first.map((w) => w.path.split("/").pop());
    expect(names).toEqual(
      expect.arrayContaining([
        "claims.md",
        "claims.json",
        "stats-observations.csv",
        "stats-model-accuracy-comparisons.csv",
        "stats-platform-comparisons.csv",
        "stats-frontiers.csv",
        "stats-scaling-fits.csv",
      ]),
    );
    expect(first.every((w) => w.changed)).toBe(true);
    const second = writeClaimsReport(process.cwd(), dir, paper());
    expect(second.every((w) => !w.changed)).toBe(true);
  });

  it("claims.json: one entry per claim, summary counts adding up, method with n and seed", () => {
    const doc = JSON.parse(readFileSync(join(dir, "claims.json"), "utf8"));
    expect(doc.claims).toHaveLength(9);
    const total = Object.values(doc.summary as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(total).toBe(9);
    expect(doc.method.inferences).toEqual({ mmlu: 1000, hellaswag: 400, winogrande: 500 });
    expect(doc.method.accuracyComparisons).toBe(72);
    for (const c of doc.claims) expect(["supported", "partly supported", "not supported"]).toContain(c.verdict);
  });

  it("claims.md names each claim's verdict and the discrepant cells a claim rests on", () => {
    const md = readFileSync(join(dir, "claims.md"), "utf8");
    expect(md).toMatch(/\*\*Verdict: partly supported\.\*\*/);
    expect(md).toMatch(
      /Published cells behind this claim that the audit finds discrepant \(1\):\*\n- consolidated\.edp_js jetson-nano\/cpu phi-3-mini mmlu = 1\.83e10: typo/,
    );
    // 274.615 Wh·… to 274.625 Wh·…: the rounding interval of the EDP per inference, to the digits that separate its bounds.
    expect(md).toMatch(/182520 – 182540/);
  });
});

describe("slm-energy claims", () => {
  it("prints each claim with its verdict; --json is the claims.json document", async () => {
    const { runCli } = await import("../helpers.js");
    const text = await runCli(["claims"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^9 claims of the paper: /);
    expect(text.stdout).toMatch(/\[partly supported\] GPU acceleration is the dominant factor/);
    const json = await runCli(["claims", "--json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(readFileSync(join(dir, "claims.json"), "utf8")));
  });
});
