import type { PowerLineParser, PowerParseContext } from "./parser.js";

/**
 * `perf stat -e power/energy-pkg/ <command>` summaries, the form RAPL energy most often takes in
 * the wild (read as part of the `rapl` format):
 *
 *     Performance counter stats for 'system wide':
 *
 *                 12,34 Joules power/energy-pkg/
 *
 *           1,002345678 seconds time elapsed
 *
 * - Any locale: perf prints numbers with the user's decimal separator and digit grouping
 *   (`12,34`, `1.234,56`, `1,234.56`). The separator is decided once per file, from the numbers
 *   themselves (a comma followed by other than three digits, or `1.234,5`, is a decimal comma;
 *   the nine decimals of `seconds time elapsed` always tell). `-I` time stamps always use a point.
 * - Pasted text: lines may be quoted (`>>`, `>`) or indented, with the command line and code
 *   fences around them; those are skipped, anything else is quarantined as not a perf line.
 * - Each summary is one energy segment: `powerW` = joules / elapsed over `spanS` = elapsed. The
 *   summaries have no wall-clock time: the runs are laid back to back from t = 0 (a bundle's
 *   `clock_offset_s` is then the epoch second the first run started).
 * - `perf stat -I <ms>` interval lines (`  1.001234567  0,53 Joules power/energy-pkg/`) are
 *   segments ending at their time stamp, since the previous one (the first since 0).
 * - The total is `power/energy-pkg/` (the package); another energy event (`energy-psys`,
 *   `energy-ram`, `energy-cores`) is the total only when the file has no `energy-pkg`.
 */

const QUOTE = /^\s*(?:>+\s?)*\s*/;
const NUM = String.raw`\d[\d.,\u00a0\u202f']*`;
// `perf stat -I` prints its time stamps with a point whatever the locale (printf %lu.%09lu).
const JOULES = new RegExp(String.raw`^(?:(\d+\.\d+)\s+)?(${NUM}|<not counted>|<not supported>)\s+Joules\s+(\S+)`);
const ELAPSED = new RegExp(String.raw`^(${NUM})\s+seconds\s+time\s+elapsed`);
const SKIP = [
  /^$/,
  /^#/,
  /^```/,
  /\bperf\s+stat\b/,
  /^Performance counter stats for\b/,
  new RegExp(String.raw`^${NUM}\s+seconds\s+(?:user|sys)\b`),
];

/** True when a line looks like part of a perf stat energy summary. */
export function looksLikePerfStat(line: string): boolean {
  const t = line.replace(QUOTE, "").trim();
  return /^Performance counter stats for\b/.test(t) || JOULES.test(t) || /\bperf\s+stat\b.*\bpower\/energy-/.test(t);
}

/** Score of a text head as perf stat energy summaries. */
export function perfStatScore(lines: readonly string[]): number {
  const joules = lines.some((l) => JOULES.test(l.replace(QUOTE, "").trim()) && /power\/energy-/.test(l));
  const header = lines.some((l) => /Performance counter stats for\b/.test(l));
  return joules ? (header ? 0.95 : 0.85) : 0;
}

/** Decimal comma or point, from the raw numbers of a file. */
function usesDecimalComma(raws: readonly string[]): boolean {
  return raws.some((r) => {
    const t = r.replace(/[\s\u00a0\u202f']/g, "");
    if (t.includes(".") && t.includes(",")) return t.lastIndexOf(",") > t.lastIndexOf(".");
    return /,\d{1,2}$|,\d{4,}$/.test(t);
  });
}

/** A perf number in the file's locale, NaN when it is none. */
function localeNumber(raw: string, decimalComma: boolean): number {
  let t = raw.replace(/[\s\u00a0\u202f']/g, "");
  t = decimalComma ? t.replace(/\./g, "").replace(",", ".") : t.replace(/,/g, "");
  return /^\d+(?:\.\d+)?$/.test(t) ? Number(t) : NaN;
}

interface Run {
  line: number;
  lineEnd: number;
  text: string[];
  /** event → raw joules (or `<not counted>`). */
  joules: Map<string, string>;
  elapsed: string | null;
  /** `perf stat -I`: the interval's end time stamp. */
  stamp: string | null;
}

/** The perf stat half of the rapl parser. Summaries are tiny: runs are kept, then emitted at the end. */
export function perfStatParser(ctx: PowerParseContext): PowerLineParser {
  const runs: Run[] = [];
  let open: Run | null = null;
  const start = (line: number): Run => {
    const r: Run = { line, lineEnd: line, text: [], joules: new Map(), elapsed: null, stamp: null };
    runs.push(r);
    return r;
  };
  return {
    line(text, line) {
      const t = text.replace(QUOTE, "").trim();
      if (/^Performance counter stats for\b/.test(t)) {
        open = start(line);
        open.text.push(text);
        return;
      }
      const j = JOULES.exec(t);
      if (j !== null) {
        const [, stamp, value, event] = j as unknown as [string, string | undefined, string, string];
        // Interval mode: every line is a run of its own.
        if (stamp !== undefined || open === null || open.joules.has(event)) open = start(line);
        if (stamp !== undefined) open.stamp = stamp;
        open.joules.set(event, value);
        open.lineEnd = line;
        open.text.push(text);
        return;
      }
      const e = ELAPSED.exec(t);
      if (e !== null && open !== null) {
        open.elapsed = e[1]!;
        open.lineEnd = line;
        open.text.push(text);
        open = null;
        return;
      }
      if (SKIP.some((re) => re.test(t))) return;
      ctx.quarantine(line, text, "not a perf stat line (energy summary, elapsed time or the command)");
    },
    end() {
      emitRuns(ctx, runs);
    },
  };
}

/** Which event is the total: energy-pkg when any run has it, else the first energy event seen. */
function totalEvent(runs: readonly Run[]): string | null {
  const events = runs.flatMap((r) => [...r.joules.keys()]);
  return events.find((e) => e === "power/energy-pkg/") ?? events.find((e) => e.startsWith("power/energy-")) ?? null;
}

function emitRuns(ctx: PowerParseContext, runs: readonly Run[]): void {
  const raws = runs.flatMap((r) => [...r.joules.values(), r.elapsed ?? ""]);
  const comma = usesDecimalComma(raws);
  const event = totalEvent(runs);
  if (event === null) return;
  ctx.setRail(event);
  let endS = 0;
  for (const r of runs) {
    const raw = r.joules.get(event);
    const text = r.text.join("\n");
    const where = { reading: true, lineEnd: r.lineEnd };
    const stampS = r.stamp === null ? null : Number(r.stamp);
    const spanS = stampS !== null ? stampS - endS : r.elapsed === null ? NaN : localeNumber(r.elapsed, comma);
    const j = raw === undefined ? NaN : localeNumber(raw, comma);
    if (raw === undefined) ctx.quarantine(r.line, text, `no ${event} figure in this summary`, where);
    else if (!Number.isFinite(j)) ctx.quarantine(r.line, text, `${event} is "${raw}", not a number of joules`, where);
    else if (!(spanS > 0))
      ctx.quarantine(r.line, text, "no positive `seconds time elapsed` (or interval): the span is unknown", where);
    else {
      endS += spanS;
      ctx.emit({
        tS: endS,
        powerW: j / spanS,
        spanS,
        line: r.line,
        ...(r.lineEnd !== r.line ? { lineEnd: r.lineEnd } : {}),
      });
    }
  }
}
