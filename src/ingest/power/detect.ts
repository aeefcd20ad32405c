import { POWER_FORMATS, type PowerFormat } from "../types.js";
import { POWER_FORMAT_SPECS } from "./formats.js";

/** One format's claim on a text: score 0 … 1 and why. */
export interface PowerFormatGuess {
  format: PowerFormat;
  score: number;
  reason: string;
}

/** Every format's score for `head` (the first kilobytes of a file), best first. */
export function rankPowerFormats(head: string): PowerFormatGuess[] {
  const text = head.replace(/^\uFEFF/, "");
  return POWER_FORMATS.map((format) => ({ format, ...POWER_FORMAT_SPECS[format].sniff(text) })).sort(
    (a, b) => b.score - a.score || POWER_FORMATS.indexOf(a.format) - POWER_FORMATS.indexOf(b.format),
  );
}

/** Least score, and least lead over the runner-up, for detection to name a format. */
export const DETECT_MIN_SCORE = 0.5;
export const DETECT_MIN_LEAD = 0.15;

/**
 * The power format of a text from its first kilobytes, or null when unsure. Each format scores
 * its own signature (tegrastats: `RAM …MB` / `POM_*`/`VDD_*` rail readings; pmic:
 * `_A current(n)=`; jtop: a `Power TOT` column; nvidia-smi: `power.draw`; CodeCarbon:
 * `energy_consumed` + `duration`; FNIRSI: its logger header; RAPL: `energy_uj` or `<time>
 * <counter>` lines; generic CSV: a power, or voltage and current, column with a unit). The best
 * is taken only when it scores at least 0.5 and leads the runner-up by 0.15; otherwise null, and
 * the caller must name the format (`--format`), which always overrides detection.
 */
export function detectPowerFormat(head: string): PowerFormat | null {
  const [best, second] = rankPowerFormats(head);
  if (best === undefined || best.score < DETECT_MIN_SCORE) return null;
  if (second !== undefined && best.score - second.score < DETECT_MIN_LEAD) return null;
  return best.format;
}
