import { describe, expect, it } from "vitest";
import { loadFigureInputs } from "../../src/pipeline/figures/load-inputs.js";
import { statsFrontiersFigure } from "../../src/figures/specs/stats-frontiers.js";
import { statsScalingFigure } from "../../src/figures/specs/stats-scaling.js";
import { ROOT } from "../helpers.js";

const inputs = loadFigureInputs(ROOT);
type Trace = {
  name?: string;
  x?: number[];
  y?: number[];
  xaxis?: string;
  error_y?: { array: number[]; arrayminus: number[] };
};

describe("statistics figures", () => {
  it("frontiers: 8 panels (energy and latency × 4 platforms); the Orin GPU's MMLU energy frontier is Llama 3.2 then Phi-3", () => {
    const s = statsFrontiersFigure(inputs);
    const axes = Object.keys(s.layout).filter((k) => /^xaxis\d*$/.test(k));
    expect(axes).toHaveLength(8);
    const gpuMmlu = (s.data as Trace[]).find((t) => t.name === "MMLU frontier" && t.xaxis === "x4")!;
    expect(gpuMmlu.x).toEqual([1.71 / 1000, 6.56 / 1000]);
    expect(gpuMmlu.y).toEqual([39.4, 64.3]);
  });
  it("frontiers carry the Wilson intervals as error bars (Pi 5 Llama 3.2 MMLU: 394/1000 → +3.06 / −2.98 points)", () => {
    const s = statsFrontiersFigure(inputs);
    const mmlu = (s.data as Trace[]).find((t) => t.name === "MMLU" && t.xaxis === "x")!;
    const i = mmlu.y!.indexOf(39.4);
    expect(mmlu.error_y!.array[i]).toBeCloseTo(42.4636 - 39.4, 3);
    expect(mmlu.error_y!.arrayminus[i]).toBeCloseTo(39.4 - 36.4176, 3);
  });
  it("scaling: one annotated exponent per panel, and the fitted line passes through a·N^b", () => {
    const s = statsScalingFigure(inputs);
    const notes = (s.layout.annotations ?? []).filter((a) => String(a.text).startsWith("exponent"));
    expect(notes).toHaveLength(8);
    for (const n of notes) expect(String(n.text)).toMatch(/^exponent \d\.\d\d \[\d\.\d\d, \d\.\d\d\]<br>R² 0\.\d\d$/);
  });
  it("scaling refuses inputs without model sizes instead of drawing nothing", () => {
    expect(() => statsScalingFigure({ ...inputs, modelScales: [] })).toThrow(/modelScales/);
  });
});
