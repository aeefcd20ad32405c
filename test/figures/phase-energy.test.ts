/**
 * The per-phase energy figure (issue 13): drawn from ingested bundles, registered under the "runs"
 * source (so `figures` / `reproduce` do not draw it), and rendered once by the real Chromium.
 */
import { describe, expect, it } from "vitest";
import { buildSourceFigures, FIGURE_NAMES, figuresOf } from "../../src/figures/registry.js";
import { phaseEnergyBars, phaseEnergyFigure } from "../../src/figures/specs/phase-energy.js";
import { svgTexts } from "../../src/figures/export/svg.js";
import { withRenderer } from "../../src/figures/export/renderer.js";
import { ingestBundles } from "../../src/pipeline/ingest/bundle.js";
import { ORIN, RPI } from "../ingest/bundle/helpers.js";

const results = await ingestBundles([ORIN, RPI]);

describe("phase-energy figure", () => {
  it("is in the registry under the runs source, not among the paper's figures", () => {
    expect(figuresOf("runs").map((d) => d.name)).toEqual(["phase-energy"]);
    expect(FIGURE_NAMES).not.toContain("phase-energy");
    expect(buildSourceFigures("runs", { results })[0]).toEqual(phaseEnergyFigure(results));
  });

  it("draws each run's mean prefill and decode energy per inference, and J per token, from the ingest", () => {
    const { bars } = phaseEnergyBars(results);
    for (const bar of bars) {
      const b = results.find((r) => r.runId === bar.runId)!;
      const rows = b.inferences;
      const mean = (k: "energyPrefillJ" | "energyDecodeJ") => rows.reduce((s, r) => s + r[k]!, 0) / rows.length;
      expect(bar.prefillJ).toBeCloseTo(mean("energyPrefillJ"), 9);
      expect(bar.decodeJ).toBeCloseTo(mean("energyDecodeJ"), 9);
      // Prefill + decode is the inference's gross energy.
      const gross = rows.reduce((s, r) => s + r.energyGrossJ!, 0) / rows.length;
      expect(bar.prefillJ + bar.decodeJ).toBeCloseTo(gross, 6);
      expect(bar.jPerGenToken).toBe(b.run.jPerGenToken);
    }
    expect(bars.map((b) => b.runId)).toContain("orin-gpu-llama32-hellaswag");
    const spec = phaseEnergyFigure(results);
    expect(spec.name).toBe("phase-energy");
    expect(spec.data).toHaveLength(4);
    expect((spec.layout.yaxis2 as { type?: string }).type).toBe("log");
  });

  it("leaves out a run without phase energies, naming it", () => {
    const stripped = results.map((b) => ({ ...b, run: { ...b.run, prefillEnergyJ: null } }));
    const { bars, without } = phaseEnergyBars(stripped);
    expect(bars).toEqual([]);
    expect(without).toEqual(results.map((b) => b.runId));
    expect(phaseEnergyFigure(stripped).caption).toMatch(/Left out/);
  });

  it("renders in headless Chromium with its axis titles as SVG text", async () => {
    const spec = phaseEnergyFigure(results);
    const out = await withRenderer((r) => r.render(spec, ["svg"]));
    const texts = svgTexts(out.svg!);
    for (const t of ["energy per inference (J)", "energy per token (J/token)", spec.title]) expect(texts).toContain(t);
  }, 120_000);
});
