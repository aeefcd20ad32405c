import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { thin } from "../../../src/figures/specs/bundle-timeline.js";
import { ingestBundle } from "../../../src/pipeline/ingest/bundle.js";
import { bundleTimelineSpec } from "../../../src/pipeline/ingest/timeline.js";
import { ORIN, RPI } from "./helpers.js";

describe("a bundle's power timeline figure", () => {
  it("draws the power log on the inference clock, shades every inference window and marks the idle baseline", async () => {
    const b = await ingestBundle(ORIN);
    const spec = await bundleTimelineSpec(b);
    expect(spec.name).toBe("timeline-orin-gpu-llama32-hellaswag");
    expect(spec.data).toHaveLength(1);
    const trace = spec.data[0] as { x: number[]; y: number[] };
    expect(trace.x).toHaveLength(195);
    expect(trace.x[0]).toBeCloseTo(-6.4, 6); // the log starts 6.4 s before the first inference
    const shapes = spec.layout.shapes!;
    expect(shapes.filter((s) => s.type === "rect")).toHaveLength(8);
    expect(shapes.find((s) => s.type === "line")!.y0).toBe(b.run.idlePowerW);
  });

  it("applies the PMIC calibration to the drawn power", async () => {
    const b = await ingestBundle(RPI);
    const spec = await bundleTimelineSpec(b);
    const y = (spec.data[0] as { y: number[] }).y;
    expect(Math.min(...y)).toBeGreaterThan(1.12 * 2.3 + 0.35);
  });

  it("thins long traces to min/max pairs, keeping every peak and trough", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 3000 }),
        fc.integer({ min: 4, max: 500 }),
        (ys, max) => {
          const xs = ys.map((_, i) => i);
          const [tx, ty] = thin(xs, ys, max);
          expect(tx.length).toBeLessThanOrEqual(Math.max(max, ys.length <= max ? ys.length : max) + 1);
          expect(Math.max(...ty)).toBe(Math.max(...ys));
          expect(Math.min(...ty)).toBe(Math.min(...ys));
          for (let i = 1; i < tx.length; i++) expect(tx[i]!).toBeGreaterThan(tx[i - 1]!);
        },
      ),
      { numRuns: 200 },
    );
  });
});
