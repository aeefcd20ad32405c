import { describe, expect, it } from "vitest";
import { createRequire } from "node:module";
import { cellText, frameHtml, showFigure } from "../../src/notebooks/display.js";

const dfd = createRequire(import.meta.url)("danfojs") as typeof import("danfojs");

describe("frameHtml", () => {
  it("renders a danfojs frame as an HTML table, numbers right-aligned and text escaped", () => {
    const df = new dfd.DataFrame([
      { model: "Llama 3.2 <1B>", energyWh: 1.71 },
      { model: "Phi-3 mini", energyWh: 6.56 },
    ]);
    const html = frameHtml(df);
    expect(html).toContain("<th>model</th><th>energyWh</th>");
    expect(html).toContain("<td>Llama 3.2 &lt;1B&gt;</td>");
    expect(html).toContain('<td style="text-align:right">1.71</td>');
  });

  it("cuts long frames and says how many rows it left out", () => {
    const df = new dfd.DataFrame(Array.from({ length: 12 }, (_, i) => ({ i })));
    const html = frameHtml(df, { maxRows: 10 });
    expect((html.match(/<tr>/g) ?? []).length).toBe(11);
    expect(html).toContain("2 more rows not shown (of 12)");
  });

  it("prints float32 noise away but keeps float64 values as computed", () => {
    expect(cellText(0.20000000298023224)).toBe("0.2");
    expect(cellText(0.00171)).toBe("0.00171");
    expect(cellText(8119410000)).toBe("8.11941e9");
    expect(cellText(0.000305)).toBe("3.05e-4");
    expect(cellText(NaN)).toBe("");
    expect(cellText(1000)).toBe("1000");
  });
});

describe("showFigure", () => {
  it("shows the image (which carries the title) and then the caption, never the title a second time", () => {
    const shown: string[] = [];
    const display = { png: (b: Uint8Array) => shown.push(`png:${b.length}`), markdown: (t: string) => shown.push(t) };
    const figure = { title: "Energy per inference", caption: "Bars: the paper's Table 2." };
    showFigure(display, figure, new Uint8Array(3));
    showFigure(display, figure, new Uint8Array(4), "Files: `figures/x.svg`");
    expect(shown).toEqual([
      "png:3",
      "Bars: the paper's Table 2.",
      "png:4",
      "Bars: the paper's Table 2.\n\nFiles: `figures/x.svg`",
    ]);
    expect(shown.join("\n")).not.toContain("Energy per inference");
  });
});
