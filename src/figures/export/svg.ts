/**
 * Make plotly's SVG byte-stable. plotly names every clip path, gradient and legend clip after a
 * random per-plot uid (`clipdc430exy`), so two renders of the same figure differ. This renames
 * every id in document order to `<prefix>-<n>` and rewrites every reference to it, so the same
 * figure always gives the same bytes and ids of two figures inlined in one page never collide.
 * It also sorts every element's attributes: plotly sets them in an order that depends on which
 * code path ran first (a tick label gets `transform` before or after `style`), and attribute
 * order carries no meaning in SVG.
 */
export function normalizeSvg(svg: string, prefix: string): string {
  const safePrefix = prefix.replace(/[^A-Za-z0-9_-]/g, "-");
  const renames = new Map<string, string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) {
    const id = m[1]!;
    if (!renames.has(id)) renames.set(id, `${safePrefix}-${renames.size + 1}`);
  }
  const rename = (id: string): string => renames.get(id) ?? id;
  let out = svg.replace(/(\sid=")([^"]+)(")/g, (_, a: string, id: string, b: string) => a + rename(id) + b);
  out = out.replace(/url\((['"]?)#([^)'"]+)\1\)/g, (_, q: string, id: string) => `url(${q}#${rename(id)}${q})`);
  out = out.replace(
    /((?:xlink:)?href=")#([^"]+)(")/g,
    (_, a: string, id: string, b: string) => a + "#" + rename(id) + b,
  );
  out = sortAttributes(out);
  return out.endsWith("\n") ? out : out + "\n";
}

/** Rewrite every start tag with its attributes in name order (values untouched). */
export function sortAttributes(svg: string): string {
  return svg.replace(
    /<([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"]*")+)\s*(\/?)>/g,
    (_, tag: string, attrs: string, close: string) => {
      const list = [...attrs.matchAll(/([\w:.-]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!] as const);
      list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      return `<${tag}${list.map(([k, v]) => ` ${k}="${v}"`).join("")}${close}>`;
    },
  );
}

/** The text content of every <text> element, entities decoded: what a reader sees on the figure. */
export function svgTexts(svg: string): string[] {
  const texts: string[] = [];
  for (const m of svg.matchAll(/<text\b[^>]*>([\s\S]*?)<\/text>/g)) {
    const inner = m[1]!.replace(/<[^>]+>/g, "");
    texts.push(decodeEntities(inner));
  }
  return texts;
}

function decodeEntities(s: string): string {
  return s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, "&");
}
