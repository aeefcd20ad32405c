import { describe, expect, it } from "vitest";
import { normalizeSvg, sortAttributes, svgTexts } from "../../src/figures/export/svg.js";
import { normalizePdf, pdfPageCount } from "../../src/figures/export/pdf.js";
import { pngSizePx } from "../../src/figures/export/png.js";
import { isSlmError } from "../../src/errors.js";
import { figureFontWarning } from "../../src/io/figures/chromium.js";
import { figureHtml } from "../../src/figures/export/html.js";
import type { FigureSpec } from "../../src/figures/types.js";

describe("normalizeSvg", () => {
  const raw =
    '<svg class="main-svg" width="10" style="" viewBox="0 0 10 10"><defs id="defs-dc430e"><clipPath id="clipdc430exy"><rect/></clipPath></defs>' +
    '<g clip-path="url(#clipdc430exy)"><text y="1" x="2">Energy (Wh)</text></g><use xlink:href="#clipdc430exy"/></svg>';

  it("renames plotly's random ids in document order and rewrites every reference", () => {
    const out = normalizeSvg(raw, "energy-per-inference");
    expect(out).not.toContain("dc430e");
    expect(out).toContain('id="energy-per-inference-1"');
    expect(out).toContain('clip-path="url(#energy-per-inference-2)"');
    expect(out).toContain('xlink:href="#energy-per-inference-2"');
  });

  it("gives the same bytes for two renders that differ only in uid and attribute order", () => {
    const other = raw
      .replace(/dc430e/g, "9f00aa")
      .replace('style="" viewBox="0 0 10 10"', 'viewBox="0 0 10 10" style=""')
      .replace('y="1" x="2"', 'x="2" y="1"');
    expect(normalizeSvg(other, "f")).toBe(normalizeSvg(raw, "f"));
  });

  it("sorts attributes without touching values", () => {
    expect(sortAttributes('<text y="1" x="a b" class="c"/>')).toBe('<text class="c" x="a b" y="1"/>');
  });

  it("reads back the text a reader sees, entities decoded", () => {
    expect(svgTexts("<text>Energy &amp; time (Wh)</text><text><tspan>10</tspan><tspan>−3</tspan></text>")).toEqual([
      "Energy & time (Wh)",
      "10−3",
    ]);
  });
});

describe("normalizePdf", () => {
  it("pins Chromium's creation and modification dates without changing byte offsets", () => {
    const pdf = Buffer.from(
      "%PDF-1.4\n<< /CreationDate (D:20261121055500+00'00') /ModDate (D:20261121055501+00'00') >>\n/Type /Pages\n/Type /Page\n",
      "latin1",
    );
    const out = Buffer.from(normalizePdf(pdf));
    expect(out.length).toBe(pdf.length);
    expect(out.toString("latin1")).toContain("/CreationDate (D:20000101000000+00'00')");
    expect(out.toString("latin1")).not.toContain("2026");
    expect(pdfPageCount(out)).toBe(1);
  });

  it("counts no pages in something that is not a PDF", () => {
    expect(pdfPageCount(Buffer.from("<html>/Type /Page</html>"))).toBe(0);
  });
});

describe("pngSizePx", () => {
  it("reads width and height from the IHDR chunk", () => {
    const png = Buffer.alloc(33);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(png, 0);
    png.writeUInt32BE(13, 8);
    png.write("IHDR", 12, "latin1");
    png.writeUInt32BE(2200, 16);
    png.writeUInt32BE(980, 20);
    expect(pngSizePx(png)).toEqual({ widthPx: 2200, heightPx: 980 });
  });

  it("rejects a file that is not a PNG, naming it", () => {
    try {
      pngSizePx(Buffer.from("GIF89a........................"), "figures/x.png");
      expect.unreachable();
    } catch (e) {
      expect(isSlmError(e) && e.file === "figures/x.png").toBe(true);
    }
  });
});

describe("figureFontWarning", () => {
  it("is silent for the pinned font (installed by setup) and names a missing one", () => {
    expect(figureFontWarning("DejaVu Sans")).toBeNull();
    const w = figureFontWarning("No Such Font 4711");
    // null only where fontconfig is absent and cannot tell.
    if (w !== null) expect(w).toContain('"No Such Font 4711" is not installed');
  });
});

describe("figureHtml", () => {
  const spec = {
    name: "x",
    title: "Energy & time <per inference>",
    caption: "a caption </script><script>alert(1)</script>",
    data: [{ type: "bar", x: ["a"], y: [1], name: "</script>" }],
    layout: { title: { text: "t" } },
    widthPx: 600,
    heightPx: 400,
  } as unknown as FigureSpec;

  it("loads the shared plotly.js and embeds the spec where no text can end the script", () => {
    const html = figureHtml(spec);
    expect(html).toContain('<script src="plotly.js"></script>');
    expect(html.match(/<\/script>/g)!.length).toBe(3); // plotly.js, the JSON, the drawing code
    expect(html).toContain("<title>Energy &amp; time &lt;per inference&gt; — slm-energy</title>");
    const json = /<script type="application\/json" id="figure-spec">(.*)<\/script>/.exec(html)![1]!;
    expect(JSON.parse(json).data[0].name).toBe("</script>");
  });

  it("is deterministic", () => {
    expect(figureHtml(spec)).toBe(figureHtml(spec));
  });
});
