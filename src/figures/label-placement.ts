/**
 * Deterministic placement of point labels on a scatter plot: each label takes the first of eight
 * positions around its marker (top, bottom, right, left, then the corners) whose box stays in the
 * plot and overlaps no marker or label already placed (points are handled in the given order);
 * when none is free, the position with the least overlap. Coordinates are plot pixels, y down.
 */
export type LabelPosition =
  | "top center"
  | "bottom center"
  | "middle right"
  | "middle left"
  | "top right"
  | "top left"
  | "bottom right"
  | "bottom left";

export interface LabelPoint {
  xPx: number;
  yPx: number;
  text: string;
}

/** A box in plot pixels (y down) that labels must avoid. */
export interface LabelBox {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

const overlapArea = (a: LabelBox, b: LabelBox): number =>
  Math.max(0, Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0)) * Math.max(0, Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0));

/** Approximate text box of a label at a position (DejaVu Sans averages ≈ 0.6 em per character). */
function boxAt(p: LabelPoint, pos: LabelPosition, fontPx: number, markerPx: number): LabelBox {
  const w = p.text.length * fontPx * 0.6;
  const h = fontPx * 1.2;
  const gap = markerPx / 2 + 2;
  switch (pos) {
    case "top center":
      return { x0: p.xPx - w / 2, x1: p.xPx + w / 2, y0: p.yPx - gap - h, y1: p.yPx - gap };
    case "bottom center":
      return { x0: p.xPx - w / 2, x1: p.xPx + w / 2, y0: p.yPx + gap, y1: p.yPx + gap + h };
    case "middle right":
      return { x0: p.xPx + gap, x1: p.xPx + gap + w, y0: p.yPx - h / 2, y1: p.yPx + h / 2 };
    case "middle left":
      return { x0: p.xPx - gap - w, x1: p.xPx - gap, y0: p.yPx - h / 2, y1: p.yPx + h / 2 };
    case "top right":
      return { x0: p.xPx, x1: p.xPx + w, y0: p.yPx - gap - h, y1: p.yPx - gap };
    case "top left":
      return { x0: p.xPx - w, x1: p.xPx, y0: p.yPx - gap - h, y1: p.yPx - gap };
    case "bottom right":
      return { x0: p.xPx, x1: p.xPx + w, y0: p.yPx + gap, y1: p.yPx + gap + h };
    case "bottom left":
      return { x0: p.xPx - w, x1: p.xPx, y0: p.yPx + gap, y1: p.yPx + gap + h };
  }
}

const ORDER: readonly LabelPosition[] = [
  "top center",
  "bottom center",
  "middle right",
  "middle left",
  "top right",
  "top left",
  "bottom right",
  "bottom left",
];

/** One position per point, in input order. Markers and the given obstacles (other text) count as obstacles. */
export function placeLabels(
  points: readonly LabelPoint[],
  opts: { fontPx: number; markerPx: number; widthPx: number; heightPx: number; obstacles?: readonly LabelBox[] },
): LabelPosition[] {
  const half = opts.markerPx / 2;
  const placed: LabelBox[] = [
    ...(opts.obstacles ?? []),
    ...points.map((p) => ({ x0: p.xPx - half, x1: p.xPx + half, y0: p.yPx - half, y1: p.yPx + half })),
  ];
  const inside = (b: LabelBox): boolean => b.x0 >= 0 && b.x1 <= opts.widthPx && b.y0 >= 0 && b.y1 <= opts.heightPx;
  return points.map((p) => {
    const candidates = ORDER.map((pos) => {
      const box = boxAt(p, pos, opts.fontPx, opts.markerPx);
      const clash = placed.reduce((sum, b) => sum + overlapArea(b, box), 0);
      return { pos, box, clash, inside: inside(box) };
    });
    const free = candidates.find((c) => c.inside && c.clash === 0);
    const least = [...candidates].sort((a, b) => Number(b.inside) - Number(a.inside) || a.clash - b.clash)[0]!;
    const pick = free ?? least;
    placed.push(pick.box);
    return pick.pos;
  });
}

/**
 * Positions (pixels, y down) for labels stacked in one column, e.g. at the right ends of lines:
 * each label as near its wanted position as can be while keeping at least `minGapPx` from its
 * neighbours, and inside [0, heightPx]. The result keeps the input order; ties keep it too.
 */
export function spreadColumn(wantedPx: readonly number[], minGapPx: number, heightPx: number): number[] {
  const order = wantedPx.map((y, i) => ({ y, i })).sort((a, b) => a.y - b.y || a.i - b.i);
  const placed = order.map((o) => Math.min(Math.max(o.y, minGapPx / 2), heightPx - minGapPx / 2));
  // Push down what crowds the label above it, then pull up from the bottom edge if that overflows.
  for (let k = 1; k < placed.length; k++) placed[k] = Math.max(placed[k]!, placed[k - 1]! + minGapPx);
  const overflow = placed.length > 0 ? placed[placed.length - 1]! - (heightPx - minGapPx / 2) : 0;
  if (overflow > 0) {
    placed[placed.length - 1] = placed[placed.length - 1]! - overflow;
    for (let k = placed.length - 2; k >= 0; k--) placed[k] = Math.min(placed[k]!, placed[k + 1]! - minGapPx);
  }
  const out = new Array<number>(wantedPx.length);
  order.forEach((o, k) => (out[o.i] = placed[k]!));
  return out;
}
