import { parsePrinted, type PrintedNumber } from "../paper/printed-number.js";
import { fromPrinted, mid, overlaps, scale, type Interval } from "../util/interval.js";

export const VERDICTS = ["consistent", "unit-factor", "typo", "unexplained"] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface Classification {
  verdict: Verdict;
  /** published / recomputed (midpoint). */
  ratio: number;
  explanation: string;
}

interface Factor {
  factor: number;
  why: string;
}

/** Factors a unit slip explains: seconds per hour, SI prefixes, and their combinations. */
export const UNIT_FACTORS: readonly Factor[] = (() => {
  const out: Factor[] = [];
  const add = (factor: number, why: string): void => {
    out.push({ factor, why });
  };
  add(3.6, "×3.6 = 3600/1000: joules and watt-hours mixed with a /1000 (e.g. J→Wh divided by 1000 instead of 3600, or kJ read as Wh)");
  add(1 / 3.6, "÷3.6 = 1000/3600: watt-hours and joules mixed with a /1000 (e.g. Wh→J multiplied by 1000 instead of 3600)");
  add(36, "×36 = 3.6 × 10: a Wh/J slip (3600/1000) compounded by a factor of ten");
  add(1 / 36, "÷36 = (3600/1000) × 10: a Wh/J slip (3600/1000) compounded by a factor of ten");
  add(3600, "×3600: watt-hours where joules were meant, or hours where seconds were meant");
  add(1 / 3600, "÷3600: joules where watt-hours were meant, or seconds where hours were meant");
  for (const k of [3, 6, 9]) {
    add(10 ** k, `×10^${k}: an SI prefix slip (milli/kilo${k > 3 ? "/mega" : ""})`);
    add(10 ** -k, `÷10^${k}: an SI prefix slip (milli/kilo${k > 3 ? "/mega" : ""})`);
  }
  return out;
})();

const fmt = (x: number): string => (Math.abs(x) >= 1e5 || Math.abs(x) < 1e-3 ? x.toExponential(3) : Number(x.toPrecision(4)).toString());

/** Alternative readings of a printed number that a typo would explain. */
function typoReadings(p: PrintedNumber): { text: string; why: string }[] {
  const out: { text: string; why: string }[] = [];
  const m = p.mantissa;
  const exp = p.exponent;
  const withExp = (mm: string, e = exp): string => (e === 0 ? mm : `${mm}e${e}`);
  // Misplaced decimal point: move it one or two places either way (or shift the exponent).
  for (const k of [-2, -1, 1, 2]) {
    out.push({ text: withExp(m, exp + k), why: `misplaced decimal point (×10^${-k} from the intended value)` });
  }
  // Transposed adjacent digits.
  const chars = m.split("");
  for (let i = 0; i + 1 < chars.length; i++) {
    const a = chars[i]!;
    const b = chars[i + 1]!;
    if (a === "." || b === "." || a === b) continue;
    const c = [...chars];
    c[i] = b;
    c[i + 1] = a;
    out.push({ text: withExp(c.join("")), why: `transposed digits "${a}${b}" → printed as "${b}${a}"` });
  }
  // One wrong digit.
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] === ".") continue;
    for (let d = 0; d <= 9; d++) {
      if (String(d) === chars[i]) continue;
      const c = [...chars];
      c[i] = String(d);
      out.push({ text: withExp(c.join("")), why: `one wrong digit: "${chars[i]}" printed where "${d}" fits` });
    }
  }
  return out;
}

/**
 * Classify a published number against the interval its recomputation allows.
 * consistent: the printed value's rounding interval overlaps the recomputed interval.
 * unit-factor: it does after multiplying the recomputation by a factor a unit slip explains.
 * typo: a misplaced decimal point, a transposition of adjacent digits or a single wrong digit
 *   in the printed text would make it consistent.
 * unexplained: none of these.
 */
export function classify(printed: string, recomputed: Interval, context = ""): Classification {
  const p = parsePrinted(printed);
  const pub = fromPrinted(p);
  const ratio = p.value / mid(recomputed);
  const rec = `${fmt(recomputed.lo)}–${fmt(recomputed.hi)}`;
  if (overlaps(pub, recomputed)) {
    return { verdict: "consistent", ratio, explanation: `printed ${printed} is within rounding of the recomputed ${rec}${context}` };
  }
  for (const u of UNIT_FACTORS) {
    if (overlaps(pub, scale(recomputed, u.factor))) {
      return { verdict: "unit-factor", ratio, explanation: `printed ${printed} = recomputed ${rec} ${u.why}${context}` };
    }
  }
  for (const t of typoReadings(p)) {
    let alt: PrintedNumber;
    try {
      alt = parsePrinted(t.text);
    } catch {
      continue;
    }
    if (overlaps(fromPrinted(alt), recomputed)) {
      return { verdict: "typo", ratio, explanation: `printed ${printed}, recomputed ${rec}: ${t.why} (${t.text} would be consistent)${context}` };
    }
  }
  return {
    verdict: "unexplained",
    ratio,
    explanation: `printed ${printed} is ${fmt(ratio)}× the recomputed ${rec}; no unit factor or typo pattern explains it${context}`,
  };
}
