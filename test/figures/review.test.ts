import { describe, expect, it } from "vitest";
import { buildFigures } from "../../src/figures/registry.js";
import { loadFigureInputs } from "../../src/pipeline/figures/load-inputs.js";
import {
  contrastRatio,
  logTicks,
  MIN_MARK_CONTRAST,
  OKABE_ITO,
  PALETTE,
  platformColor,
} from "../../src/figures/theme.js";
import { chanceLineName } from "../../src/figures/layout-helpers.js";
import { spreadColumn } from "../../src/figures/label-placement.js";
import { pjPerFlop } from "../../src/figures/specs/gpu-performance.js";
import { PAPER_PLATFORMS } from "../../src/domain/ids.js";
import type { FigureSpec } from "../../src/figures/types.js";
import { ROOT } from "../helpers.js";

// What a reviewer asked of the figures (issue 15), as properties of the specs.
const inputs = loadFigureInputs(ROOT);
const specs = buildFigures(inputs);
const byName = (n: string): FigureSpec => specs.find((s) => s.name === n)!;

interface Trace {
  type?: string;
  name?: string;
  mode?: string;
  x?: number[];
  y?: number[];
  xaxis?: string;
  yaxis?: string;
  showlegend?: boolean;
  hoverinfo?: string;
  marker?: { color?: string | string[]; symbol?: string | string[] };
  line?: { color?: string };
}
interface Axis {
  type?: string;
  range?: [number, number];
  tickvals?: number[];
  ticktext?: string[];
  title?: { text?: string };
}
const traces = (s: FigureSpec): Trace[] => s.data as Trace[];
const layoutAxes = (s: FigureSpec): [string, Axis][] =>
  Object.entries(s.layout as Record<string, Axis>).filter(([k]) => /^[xy]axis\d*$/.test(k));
const axisOf = (s: FigureSpec, key: string): Axis => (s.layout as Record<string, Axis>)[key]!;

/** A tick label read back as a number: "1,000", "0.02", "2×10<sup>−6</sup>". */
function tickNumber(text: string): number {
  const m = /^(?:([\d.]+)×)?10<sup>([−\d]+)<\/sup>$/.exec(text);
  if (m) return Number(m[1] ?? 1) * 10 ** Number(m[2]!.replace("−", "-"));
  return Number(text.replace(/,/g, ""));
}

describe("log axes", () => {
  it("label every tick with its full value, in one style (no bare minor '2' or '5')", () => {
    let checked = 0;
    for (const s of specs) {
      for (const [key, a] of layoutAxes(s)) {
        if (a.type !== "log") continue;
        expect(a.tickvals?.length, `${s.name} ${key}`).toBeGreaterThanOrEqual(3);
        a.tickvals!.forEach((v, i) => {
          expect(tickNumber(a.ticktext![i]!) / v, `${s.name} ${key} "${a.ticktext![i]}"`).toBeCloseTo(1, 9);
        });
        const styles = new Set(a.ticktext!.map((t) => t.includes("<sup>")));
        expect(styles.size, `${s.name} ${key}`).toBe(1);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it("choose ticks for the range: decades over many, finer steps under one decade", () => {
    expect(logTicks(0.01, 100).tickvals).toEqual([0.01, 0.1, 1, 10, 100]);
    expect(logTicks(1.045, 4.0).tickvals).toEqual([1.5, 2, 2.5, 3, 4]);
    expect(logTicks(1e-5, 1e-2).ticktext).toEqual([
      "10<sup>−5</sup>",
      "10<sup>−4</sup>",
      "10<sup>−3</sup>",
      "10<sup>−2</sup>",
    ]);
    expect(logTicks(1000, 20000).ticktext).toEqual(["1,000", "2,000", "5,000", "10,000", "20,000"]);
  });

  it("give the scaling plot's parameter axis more than the ticks 1 and 2", () => {
    const s = byName("stats-scaling");
    for (const [key, a] of layoutAxes(s).filter(([k]) => k.startsWith("x"))) {
      expect(a.tickvals!.length, key).toBeGreaterThanOrEqual(4);
    }
  });
});

describe("benchmark panels", () => {
  it("draw dots, not bars: a bar's length on a log axis means nothing", () => {
    for (const s of specs)
      expect(
        traces(s).filter((t) => t.type === "bar"),
        s.name,
      ).toEqual([]);
  });

  it("share one y range across the benchmarks where the unit is the same", () => {
    for (const name of ["energy-per-inference", "accuracy-per-wh"]) {
      const s = byName(name);
      expect(axisOf(s, "yaxis2").range, name).toEqual(axisOf(s, "yaxis").range);
      expect(axisOf(s, "yaxis3").range, name).toEqual(axisOf(s, "yaxis").range);
    }
    const t = byName("time-energy-throughput");
    for (const [a, b] of [
      ["yaxis", "yaxis3"],
      ["yaxis4", "yaxis6"],
      ["yaxis8", "yaxis9"],
    ])
      expect(axisOf(t, b!).range, b).toEqual(axisOf(t, a!).range);
    // MMLU's throughput counts inferences per second, the others tokens per second: its own range.
    expect(axisOf(t, "yaxis7").range).not.toEqual(axisOf(t, "yaxis8").range);
  });

  it("keep every dot inside its panel's range", () => {
    for (const name of ["energy-per-inference", "accuracy-per-wh", "time-energy-throughput"]) {
      const s = byName(name);
      for (const t of traces(s)) {
        const a = axisOf(s, `yaxis${t.yaxis!.slice(1)}`);
        for (const y of t.y!.filter((v): v is number => v !== null)) {
          expect(Math.log10(y)).toBeGreaterThan(a.range![0]);
          expect(Math.log10(y)).toBeLessThan(a.range![1]);
        }
      }
    }
  });
});

describe("accuracy plots", () => {
  it("draw chance, labelled: 25 % on MMLU and HellaSwag, 50 % on Winogrande", () => {
    const p = byName("pareto-accuracy-energy");
    const chance = (s: FigureSpec, xaxis: string): number[] =>
      traces(s)
        .filter((t) => t.name?.startsWith("chance") && t.xaxis === xaxis)
        .map((t) => t.y![0]!)
        .sort((a, b) => a - b);
    expect(chance(p, "x")).toEqual([25]);
    expect(chance(p, "x2")).toEqual([25]);
    expect(chance(p, "x3")).toEqual([50]);
    const line = traces(p).find((t) => t.name === chanceLineName(50))!;
    expect(line.y).toEqual([50, 50]);
    const f = byName("stats-frontiers");
    for (let i = 1; i <= 8; i++) expect(chance(f, i === 1 ? "x" : `x${i}`)).toEqual([25, 50]);
    for (const s of [p, f]) {
      const labels = (s.layout.annotations ?? []).map((a) => String(a.text));
      expect(
        labels.some((t) => t.startsWith("chance 25 %")),
        s.name,
      ).toBe(true);
      expect(
        labels.some((t) => t.startsWith("chance 50 %")),
        s.name,
      ).toBe(true);
    }
  });
});

describe("colours", () => {
  it("compute WCAG contrast, and the published Okabe–Ito yellow and orange fail 3:1 on white", () => {
    expect(contrastRatio("#000000", "#FFFFFF")).toBeCloseTo(21, 6);
    expect(contrastRatio("#FFFFFF", "#FFFFFF")).toBeCloseTo(1, 6);
    expect(contrastRatio(OKABE_ITO.yellow, "#FFFFFF")).toBeLessThan(MIN_MARK_CONTRAST);
    expect(contrastRatio(OKABE_ITO.orange, "#FFFFFF")).toBeLessThan(MIN_MARK_CONTRAST);
  });

  it("draw every mark at 3:1 or more against the white background", () => {
    for (const c of Object.values(PALETTE)) expect(contrastRatio(c, "#FFFFFF"), c).toBeGreaterThanOrEqual(3);
    for (const p of PAPER_PLATFORMS) expect(contrastRatio(platformColor(p), "#FFFFFF")).toBeGreaterThanOrEqual(3);
    for (const s of specs) {
      for (const t of traces(s)) {
        const colours = [t.marker?.color ?? [], t.hoverinfo === "skip" ? [] : (t.line?.color ?? [])].flat();
        for (const c of colours.filter((x) => /^#[0-9A-Fa-f]{6}$/.test(x))) {
          expect(contrastRatio(c, "#FFFFFF"), `${s.name} · ${t.name}: ${c}`).toBeGreaterThanOrEqual(MIN_MARK_CONTRAST);
        }
      }
    }
  });

  it("give the sampling study's rates distinct colours and shapes, and its 5 % threshold a legend entry", () => {
    const s = byName("sampling-study");
    const rates = traces(s).filter((t) => /^[\d.]+ Hz$/.test(t.name ?? ""));
    expect(rates.length).toBe(8);
    expect(new Set(rates.map((t) => t.line!.color)).size).toBe(rates.length);
    expect(new Set(rates.map((t) => t.marker!.symbol)).size).toBe(rates.length);
    const threshold = traces(s).filter((t) => t.name === "5 % error threshold");
    expect(threshold.map((t) => t.y)).toEqual([
      [5, 5],
      [5, 5],
    ]);
    expect(threshold.some((t) => t.showlegend !== false)).toBe(true);
    const labels = (s.layout.annotations ?? []).map((a) => String(a.text));
    for (const t of rates) expect(labels).toContain(t.name);
  });
});

describe("gpu-performance-vs-energy", () => {
  it("shows energy per operation (TDP ÷ peak FLOP/s, pJ/FLOP), not power", () => {
    const s = byName("gpu-performance-vs-energy");
    expect(axisOf(s, "xaxis").title?.text).toMatch(/pJ\/FLOP/);
    const nano = inputs.gpus.find((g) => g.id === "jetson-nano")!;
    expect(pjPerFlop(nano)).toBeCloseTo(10 / 0.236, 9);
    const xs = traces(s)
      .filter((t) => t.mode === "text+markers")
      .flatMap((t) => t.x!);
    expect(xs.length).toBe(inputs.gpus.length);
    expect(xs).toContain(pjPerFlop(nano));
    expect(xs).not.toContain(nano.tdpW);
  });
});

describe("spreadColumn", () => {
  it("keeps labels where wanted when they are apart, and pushes crowded ones apart, in order", () => {
    expect(spreadColumn([10, 50, 90], 12, 100)).toEqual([10, 50, 90]);
    const out = spreadColumn([50, 52, 51], 12, 100);
    const sorted = [...out].sort((a, b) => a - b);
    expect(sorted[1]! - sorted[0]!).toBeGreaterThanOrEqual(12);
    expect(sorted[2]! - sorted[1]!).toBeGreaterThanOrEqual(12);
    expect(out[0]).toBeLessThan(out[2]!); // 50 stays above 51, 51 above 52
    expect(out[2]).toBeLessThan(out[1]!);
    const bottom = spreadColumn([98, 99, 100], 12, 100);
    expect(Math.max(...bottom)).toBeLessThanOrEqual(94);
  });
});
