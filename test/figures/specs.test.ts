import { describe, expect, it } from "vitest";
import type { Layout } from "plotly.js-dist";
import { buildFigures, FIGURE_NAMES, selectFigures } from "../../src/figures/registry.js";
import { loadFigureInputs } from "../../src/pipeline/figures/load-inputs.js";
import { platformColor, PALETTE } from "../../src/figures/theme.js";
import { PAPER_PLATFORMS, platformLabel } from "../../src/domain/ids.js";
import type { FigureSpec } from "../../src/figures/types.js";
import { ROOT } from "../helpers.js";

const inputs = loadFigureInputs(ROOT);
const specs = buildFigures(inputs);
const byName = (n: string): FigureSpec => specs.find((s) => s.name === n)!;

type Trace = {
  name?: string;
  x?: unknown[];
  y?: unknown[];
  customdata?: unknown[];
  marker?: { color?: unknown };
  xaxis?: string;
  type?: string;
};
const traces = (s: FigureSpec): Trace[] => s.data as Trace[];
const axes = (s: FigureSpec): [string, { title?: { text?: string }; type?: string }][] =>
  Object.entries(s.layout as Record<string, unknown>).filter(([k]) => /^[xy]axis\d*$/.test(k)) as [
    string,
    { title?: { text?: string }; type?: string },
  ][];

describe("figure specs built from the paper's data", () => {
  it("draws every figure of the paper plus the Pareto and audit views", () => {
    // The paper's figures first, in its order; other issues append their own figures after these.
    expect(FIGURE_NAMES.slice(0, 7)).toEqual([
      "gpu-performance-vs-energy",
      "gpu-performance-vs-price",
      "accuracy-per-wh",
      "energy-per-inference",
      "time-energy-throughput",
      "pareto-accuracy-energy",
      "audit-discrepancies",
    ]);
    expect(specs.map((s) => s.name)).toEqual(FIGURE_NAMES);
  });

  it("reproduces the paper's 0.00171 Wh per MMLU inference for Llama 3.2 on the Orin Nano GPU", () => {
    const s = byName("energy-per-inference");
    const gpu = traces(s).find((t) => t.name === "Jetson Orin Nano (GPU)" && t.xaxis === "x")!;
    const i = gpu.customdata!.indexOf("Llama 3.2 1B");
    expect(gpu.y![i]).toBeCloseTo(0.00171, 8);
  });

  it("puts units on every titled axis", () => {
    for (const s of specs) {
      for (const [key, ax] of axes(s)) {
        const title = ax.title?.text ?? "";
        if (title === "") continue; // category axes (models) and the audit's row labels
        expect(title, `${s.name} ${key}`).toMatch(/\(.+\)/);
      }
    }
  });

  it("uses log axes where the values span orders of magnitude", () => {
    for (const name of [
      "energy-per-inference",
      "accuracy-per-wh",
      "time-energy-throughput",
      "gpu-performance-vs-energy",
      "gpu-performance-vs-price",
    ]) {
      const ys = axes(byName(name)).filter(([k]) => k.startsWith("y"));
      expect(
        ys.every(([, a]) => a.type === "log"),
        name,
      ).toBe(true);
    }
    const pareto = axes(byName("pareto-accuracy-energy"));
    expect(pareto.filter(([k]) => k.startsWith("x")).every(([, a]) => a.type === "log")).toBe(true);
    expect(pareto.filter(([k]) => k.startsWith("y")).every(([, a]) => a.type !== "log")).toBe(true);
  });

  it("colours each platform the same in every figure, from the palette", () => {
    const palette = new Set<string>(Object.values(PALETTE));
    for (const p of PAPER_PLATFORMS) {
      expect(palette.has(platformColor(p))).toBe(true);
      for (const s of specs) {
        for (const t of traces(s).filter((t) => t.name === platformLabel(p))) {
          expect(t.marker?.color, `${s.name} ${t.name}`).toBe(platformColor(p));
        }
      }
    }
    expect(new Set(PAPER_PLATFORMS.map(platformColor)).size).toBe(PAPER_PLATFORMS.length);
  });

  it("puts the Orin Nano GPU with Llama 3.2 on the MMLU Pareto frontier", () => {
    const s = byName("pareto-accuracy-energy");
    const frontier = traces(s).find((t) => t.name === "Pareto frontier" && t.xaxis === "x")!;
    const lowestEnergy = Math.min(...(frontier.x as number[]));
    expect(lowestEnergy).toBeCloseTo(1.71 / inputs.inferences.mmlu, 10);
  });

  it("shows every audited cell in the audit figure, counted by verdict in the legend", () => {
    const s = byName("audit-discrepancies");
    const drawn = traces(s).reduce((n, t) => n + (t.x?.length ?? 0), 0);
    expect(drawn).toBe(inputs.audit!.filter((c) => c.ratio !== null && c.ratio > 0).length);
    for (const t of traces(s)) expect(t.name).toMatch(/\(\d+\)$/);
  });

  it("builds the GPU figures from the cited table, leaving out parts without a list price", () => {
    const energy = traces(byName("gpu-performance-vs-energy")).filter(
      (t) => t.type === "scatter" && (t as { mode?: string }).mode !== "lines",
    );
    expect(energy.reduce((n, t) => n + t.x!.length, 0)).toBe(inputs.gpus.length);
    const price = traces(byName("gpu-performance-vs-price")).filter((t) => (t as { mode?: string }).mode !== "lines");
    expect(price.reduce((n, t) => n + t.x!.length, 0)).toBe(
      inputs.gpus.filter((g) => g.launchPriceUsd !== null).length,
    );
  });

  it("fixes every figure's size and font", () => {
    for (const s of specs) {
      const l = s.layout as Partial<Layout>;
      expect(l.width).toBe(s.widthPx);
      expect(l.height).toBe(s.heightPx);
      expect(l.font?.family).toBe("DejaVu Sans");
    }
  });

  it("names unknown figures in a usage error that lists the real ones", () => {
    expect(() => selectFigures(["energy-per-inferance"])).toThrow(/unknown figure "energy-per-inferance"/);
  });
});
