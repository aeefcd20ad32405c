import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  buildSourceFigures,
  FIGURE_NAMES,
  FIGURE_REGISTRY,
  figuresOf,
  type FigureSources,
} from "../../src/figures/registry.js";
import { sweepRateFigure } from "../../src/figures/specs/sweep.js";
import { ROOT } from "../helpers.js";

const sweep = JSON.parse(
  readFileSync(join(ROOT, "data/measured/this-machine/sweep.json"), "utf8"),
) as FigureSources["sweep"]["sweep"];

describe("the figure registry", () => {
  it("holds every figure once, each under the source it is drawn from", () => {
    const names = FIGURE_REGISTRY.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    expect(figuresOf("paper").map((d) => d.name)).toEqual(FIGURE_NAMES);
    expect(figuresOf("sweep").map((d) => d.name)).toEqual(["sweep-decode-rate", "sweep-parity"]);
  });

  it("leaves the sweep's figures out of what `figures` and `reproduce` write (the paper's data)", () => {
    expect(FIGURE_NAMES).not.toContain("sweep-decode-rate");
  });

  it("builds a source's figures from its inputs, as the builders do", () => {
    const specs = buildSourceFigures("sweep", { sweep, machineLabel: "this machine" });
    expect(specs.map((s) => s.name)).toEqual(["sweep-decode-rate", "sweep-parity"]);
    expect(specs[0]).toEqual(sweepRateFigure(sweep, "this machine"));
    expect(buildSourceFigures("sweep", { sweep, machineLabel: "m" }, ["sweep-parity"]).map((s) => s.name)).toEqual([
      "sweep-parity",
    ]);
  });

  it("names the figures of the source when asked for an unknown one", () => {
    expect(() => buildSourceFigures("sweep", { sweep, machineLabel: "m" }, ["sweep-rate"])).toThrow(
      /unknown figure "sweep-rate"/,
    );
  });
});
