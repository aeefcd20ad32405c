import { describe, expect, it } from "vitest";
import { placeLabels } from "../../src/figures/label-placement.js";

const opts = { fontPx: 10, markerPx: 10, widthPx: 400, heightPx: 300 };

describe("placeLabels", () => {
  it("puts a lone label above its marker", () => {
    expect(placeLabels([{ xPx: 200, yPx: 150, text: "Jetson Nano" }], opts)).toEqual(["top center"]);
  });

  it("moves the second of two stacked points' labels out of the first one's way", () => {
    const pos = placeLabels(
      [
        { xPx: 200, yPx: 150, text: "RTX 2080 Ti" },
        { xPx: 200, yPx: 162, text: "GTX 1080 Ti" },
      ],
      opts,
    );
    expect(pos[0]).toBe("top center");
    expect(pos[1]).toBe("bottom center");
  });

  it("keeps labels inside the plot: a point at the right edge is labelled leftwards or centred", () => {
    const [p] = placeLabels([{ xPx: 398, yPx: 150, text: "H100 SXM5" }], opts);
    expect(["middle left", "top left", "bottom left"]).toContain(p);
  });

  it("avoids obstacles such as guide-line labels", () => {
    const [p] = placeLabels([{ xPx: 200, yPx: 150, text: "L4" }], {
      ...opts,
      obstacles: [{ x0: 150, x1: 250, y0: 120, y1: 145 }],
    });
    expect(p).not.toBe("top center");
  });

  it("is deterministic", () => {
    const pts = Array.from({ length: 12 }, (_, i) => ({
      xPx: 100 + (i % 4) * 9,
      yPx: 100 + Math.floor(i / 4) * 9,
      text: `GPU ${i}`,
    }));
    expect(placeLabels(pts, opts)).toEqual(placeLabels(pts, opts));
  });
});
