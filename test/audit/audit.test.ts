import { describe, expect, it } from "vitest";
import { runAudit, type AuditCell } from "../../src/audit/index.js";
import { loadPaper } from "../../src/io/paper.js";
import { ROOT } from "../helpers.js";

const result = runAudit(loadPaper(ROOT));
const cell = (
  table: string,
  device: string,
  backend: string,
  model: string,
  benchmark: string | null,
  metric: string,
): AuditCell => {
  const c = result.cells.find(
    (x) =>
      x.table === table &&
      x.device === device &&
      x.backend === backend &&
      x.model === model &&
      x.benchmark === benchmark &&
      x.metric === metric,
  );
  if (!c) throw new Error(`no audited cell ${table} ${device} ${backend} ${model} ${benchmark} ${metric}`);
  return c;
};

describe("the forensic audit of the paper's tables", () => {
  it("audits every derived cell: EDP, throughput, per-Wh, power, Wh/B, EDP/B, accuracy counts and highlights", () => {
    const count = (t: string, m: string): number => result.cells.filter((c) => c.table === t && c.metric === m).length;
    expect(count("consolidated", "edp_js")).toBe(48);
    expect(count("consolidated", "accuracy_pct")).toBe(48);
    expect(count("throughput", "throughput")).toBe(48);
    expect(count("throughput", "per_wh")).toBe(48);
    expect(count("throughput", "power_wh_per_s")).toBe(48);
    expect(count("normalized", "wh_per_b")).toBe(16);
    expect(count("normalized", "edp_per_b")).toBe(16);
    expect(
      result.cells.filter((c) => ["model-efficiency", "hardware-impact", "headline"].includes(c.table)),
    ).toHaveLength(10);
    expect(result.summary.audited).toBe(result.cells.length);
  });

  it("passes the EDP of Llama 3.2 on the Raspberry Pi 5, MMLU: 9.07 Wh × 3600 × 4.06 s × 1000 ≈ 1.33e8", () => {
    const c = cell("consolidated", "raspberry-pi-5", "cpu", "llama-3.2-1b", "mmlu", "edp_js");
    expect(c.verdict).toBe("consistent");
    expect(c.recomputed).toBeCloseTo(9.07 * 3600 * 4.06 * 1000, -5);
  });

  it("flags the HellaSwag EDP of Llama 3.2 on the Jetson Nano as off by 3.6 (a J/Wh slip)", () => {
    const c = cell("consolidated", "jetson-nano", "cpu", "llama-3.2-1b", "hellaswag", "edp_js");
    expect(c.verdict).toBe("unit-factor");
    expect(c.ratio).toBeCloseTo(1 / 3.6, 2);
  });

  it("flags the HellaSwag EDP of Phi-3 mini on the Orin Nano GPU as off by 36", () => {
    const c = cell("consolidated", "jetson-orin-nano", "gpu", "phi-3-mini", "hellaswag", "edp_js");
    expect(c.verdict).toBe("unit-factor");
    expect(c.explanation).toMatch(/÷36/);
  });

  it("flags Phi-3 mini's MMLU EDP on the Jetson Nano (1.83e10) as a misplaced decimal point: 274.62 Wh × 184.63 s × 1000 is 1.83e11", () => {
    const c = cell("consolidated", "jetson-nano", "cpu", "phi-3-mini", "mmlu", "edp_js");
    expect(c.verdict).toBe("typo");
    expect(c.recomputed).toBeCloseTo(274.62 * 3600 * 184.63 * 1000, -8);
  });

  it("flags the Jetson Nano HellaSwag tokens/Wh of Phi-3 mini (7322.72) as ten times too large", () => {
    const c = cell("throughput", "jetson-nano", "cpu", "phi-3-mini", "hellaswag", "per_wh");
    expect(c.verdict).toBe("typo");
    expect(c.ratio).toBeCloseTo(10, 0);
  });

  it("leaves Gemma 2's MMLU EDP on the Jetson Nano unexplained (×0.674)", () => {
    const c = cell("consolidated", "jetson-nano", "cpu", "gemma-2-2b", "mmlu", "edp_js");
    expect(c.verdict).toBe("unexplained");
    expect(c.ratio).toBeCloseTo(0.674, 2);
  });

  it("reproduces the Wh/B cells as mean energy over the benchmarks ÷ the nominal size, but for Phi-3 mini on the Jetson Nano (35.00, recomputed 34.99)", () => {
    const whb = result.cells.filter((c) => c.metric === "wh_per_b");
    const off = whb.filter((c) => c.verdict !== "consistent");
    expect(off.map((c) => `${c.device}/${c.model}`)).toEqual(["jetson-nano/phi-3-mini"]);
    expect(off[0]!.recomputed).toBeCloseTo((274.62 + 101.73 + 22.57) / 3 / 3.8, 3);
    // TinyLlama on the Raspberry Pi 5: (10.9 + 9.43 + 2.46) / 3 / 1.1 = 6.906 → 6.91
    expect(cell("normalized", "raspberry-pi-5", "cpu", "tinyllama-1.1b", null, "wh_per_b").recomputed).toBeCloseTo(
      (10.9 + 9.43 + 2.46) / 3 / 1.1,
      2,
    );
  });

  it("tries every plausible EDP/B definition and reports that none reproduces the column", () => {
    expect(result.summary.edpPerB.length).toBeGreaterThanOrEqual(6);
    const best = Math.max(...result.summary.edpPerB.map((f) => f.reproduces));
    expect(best).toBeLessThan(8);
    const edpb = result.cells.filter((c) => c.metric === "edp_per_b" && c.table === "normalized");
    expect(edpb.every((c) => c.verdict === "unexplained")).toBe(true);
    expect(edpb[0]!.explanation).toMatch(/none of \d+ plausible definitions/);
  });

  it("every MMLU throughput is 1/latency and every MMLU per-Wh is 1000/energy within rounding", () => {
    const mmlu = result.cells.filter(
      (c) => c.table === "throughput" && c.benchmark === "mmlu" && c.metric !== "power_wh_per_s",
    );
    expect(mmlu).toHaveLength(32);
    expect(mmlu.filter((c) => c.verdict !== "consistent")).toEqual([]);
  });

  it("checks the highlights: '~33x faster' holds (19.20 / 0.57 = 33.7); 'Worst EDP' is an EDP in J·s labelled J·s/B", () => {
    const speed = result.cells.find((c) => c.metric === "speedup")!;
    expect(speed.verdict).toBe("consistent");
    expect(speed.recomputed).toBeCloseTo(19.2 / 0.57, 1);
    const worst = result.cells.find((c) => c.table === "model-efficiency" && c.benchmark === "mmlu")!;
    expect(worst.verdict).toBe("unit-factor");
    expect(worst.explanation).toMatch(/J·s\/B/);
    const best = result.cells.find((c) => c.table === "model-efficiency" && c.metric === "per_wh")!;
    expect(best.verdict).toBe("consistent");
    expect(best.explanation).toMatch(/the claim holds/);
  });

  it("every verdict comes with a ratio and an explanation naming the printed value", () => {
    for (const c of result.cells) {
      expect(Number.isFinite(c.ratio)).toBe(true);
      expect(c.explanation.length).toBeGreaterThan(10);
      expect(c.source.source_line).toBeGreaterThan(0);
    }
  });
});
