import { inputError } from "../../errors.js";
import { splitFields } from "./fields.js";
import { strictNumber } from "./numbers.js";
import type { PowerFormatSpec, PowerLineParser, PowerParseContext } from "./parser.js";
import { looksLikePerfStat, perfStatParser, perfStatScore } from "./perf-stat.js";

/**
 * Intel/AMD RAPL counter samples. RAPL exposes a cumulative µJ counter
 * (`/sys/class/powercap/intel-rapl:0/energy_uj`) that wraps at `max_energy_range_uj`; there is no
 * standard log of it, so slm-energy reads these simple forms (what `scripts` loops write):
 *
 *     # max_energy_range_uj=262143328850        (optional comment, anywhere before use)
 *     1695310697.100 81234567890                (epoch seconds, counter µJ; space or tab)
 *
 * or CSV with a header: `time_s,energy_uj[,max_energy_range_uj]` (`time_ms` for milliseconds).
 *
 * Each reading after the first yields one sample: the mean power over the interval since the
 * previous reading, ΔE / Δt, with `spanS` = Δt so that integration is exact (the counter *is*
 * energy). A counter smaller than the previous one is a wrap: ΔE = E + max − E_prev. Without a
 * known max, that interval is quarantined and counting restarts from the new reading. More than
 * one wrap between two readings cannot be seen: read the counter at least every
 * max / (max power) seconds (≈ 4 min at 1 kW for the usual 2^38 µJ range).
 *
 * A file whose first informative line belongs to a `perf stat -e power/energy-pkg/` summary is
 * read as those summaries instead (perf-stat.ts).
 */

const PAIR = /^\s*(\d+(?:\.\d+)?)[\s,;]+(\d+)\s*$/;
const MAX_COMMENT = /max_energy_range_uj\s*[:=]\s*(\d+)/;

function sniff(head: string) {
  const lines = head
    .split(/\r?\n|\r/)
    .filter((l) => l.trim() !== "")
    .slice(0, 20);
  if (lines.length === 0) return { score: 0, reason: "no lines" };
  if (lines.some((l) => /energy_uj|max_energy_range_uj/.test(l))) return { score: 0.9, reason: "mentions energy_uj" };
  const perf = perfStatScore(lines);
  if (perf > 0) return { score: perf, reason: "`Joules power/energy-…` lines of perf stat summaries" };
  const data = lines.filter((l) => !l.trimStart().startsWith("#"));
  const pairs = data.filter((l) => PAIR.test(l)).length;
  return pairs === data.length && data.length >= 2
    ? { score: 0.5, reason: "every line is `<time> <integer counter>`" }
    : { score: 0, reason: "no energy_uj header and not `<time> <counter>` lines" };
}

/** Where a CSV form's columns are. */
interface CsvLayout {
  iT: number;
  iE: number;
  iMax: number;
  scaleT: number;
  n: number;
  delim: string;
}

/** The header of the CSV form (trimmed line `t`), or a fatal error. */
function readHeader(t: string, text: string, line: number, file: string): CsvLayout {
  const delim = t.includes(",") ? "," : t.includes(";") ? ";" : t.includes("\t") ? "\t" : " ";
  const names = (delim === " " ? t.split(/\s+/) : splitFields(t, delim)).map((s) => s.trim());
  const iE =
    names.indexOf("energy_uj") >= 0
      ? names.indexOf("energy_uj")
      : names.findIndex((n) => n.endsWith("energy_uj") && !n.startsWith("max"));
  let iT = names.findIndex((n) => ["time_s", "time", "timestamp", "t", "epoch_s"].includes(n));
  let scaleT = 1;
  if (iT < 0) {
    iT = names.findIndex((n) => n === "time_ms" || n === "timestamp_ms");
    scaleT = 1e-3;
  }
  if (iE < 0 || iT < 0) {
    throw inputError(`RAPL header needs a time column (time_s or time_ms) and an energy_uj column`, {
      file,
      line,
      text,
      hint: "write `time_s,energy_uj` as the header, or headerless `<epoch_s> <energy_uj>` lines",
    });
  }
  return { iT, iE, iMax: names.indexOf("max_energy_range_uj"), scaleT, n: names.length, delim };
}

/** Time, counter and (when the row states it) counter range of a CSV row, or why it cannot be read. */
function csvRow(csv: CsvLayout, t: string): { tS: number; uj: number; maxUj: number | null } | string {
  const f = csv.delim === " " ? t.split(/\s+/) : splitFields(t, csv.delim);
  if (f.length !== csv.n)
    return `expected ${csv.n} fields as in the header, found ${f.length} (truncated or garbled line?)`;
  let maxUj: number | null = null;
  if (csv.iMax >= 0) {
    const m = strictNumber(f[csv.iMax]!);
    if (Number.isFinite(m) && m > 0) maxUj = m;
  }
  return { tS: strictNumber(f[csv.iT]!) * csv.scaleT, uj: strictNumber(f[csv.iE]!), maxUj };
}

function create(ctx: PowerParseContext): PowerLineParser {
  let chosen: PowerLineParser | null = null;
  return {
    line(text, line) {
      // The first line decides: a perf summary, its command line, or quoted / fenced text → perf stat.
      chosen ??= PERF_START.test(text) || looksLikePerfStat(text) ? perfStatParser(ctx) : counterParser(ctx);
      chosen.line(text, line);
    },
    end(lastLine) {
      chosen?.end(lastLine);
    },
  };
}

const PERF_START = /\bperf\s+stat\b|^\s*(?:>|```)|^#\s+time\s+counts\b/;

function counterParser(ctx: PowerParseContext): PowerLineParser {
  let maxUj: number | null = ctx.options.maxEnergyRangeUj ?? null;
  let csv: CsvLayout | null = null;
  let sawData = false;
  let prev: { tS: number; uj: number; line: number } | null = null;

  function reading(tS: number, uj: number, line: number, text: string): void {
    if (prev === null) {
      prev = { tS, uj, line };
      return;
    }
    const dtS = tS - prev.tS;
    if (!(dtS > 0)) {
      const reason =
        dtS === 0
          ? `duplicate time ${tS} (same as line ${prev.line})`
          : `time goes back by ${-dtS} s (line ${prev.line} has ${prev.tS})`;
      ctx.quarantine(line, text, reason, { reading: true });
      return;
    }
    let dUj = uj - prev.uj;
    if (dUj < 0) {
      if (maxUj === null) {
        ctx.quarantine(
          line,
          text,
          `counter went down from ${prev.uj} to ${uj} µJ (wrap-around) and max_energy_range_uj is unknown; ` +
            `the interval since line ${prev.line} is lost`,
          { reading: true },
        );
        prev = { tS, uj, line };
        return;
      }
      dUj += maxUj;
    }
    ctx.setRail("energy_uj counter");
    ctx.emit({ tS, powerW: (dUj * 1e-6) / dtS, spanS: dtS, line });
    prev = { tS, uj, line };
  }

  return {
    line(text, line) {
      const t = text.trim();
      if (t.startsWith("#")) {
        const m = MAX_COMMENT.exec(t);
        if (m) maxUj = Number(m[1]);
        return;
      }
      if (!sawData && csv === null && /energy_uj/.test(t)) {
        csv = readHeader(t, text, line, ctx.file);
        return;
      }
      sawData = true;
      let tS: number;
      let uj: number;
      if (csv !== null) {
        const row = csvRow(csv, t);
        if (typeof row === "string") return ctx.quarantine(line, text, row, { reading: true });
        ({ tS, uj } = row);
        if (row.maxUj !== null) maxUj = row.maxUj;
      } else {
        const m = PAIR.exec(t);
        if (m === null) {
          ctx.quarantine(line, text, "not a `<epoch_s> <energy_uj>` line");
          return;
        }
        tS = Number(m[1]);
        uj = Number(m[2]);
      }
      if (!Number.isFinite(tS) || !Number.isFinite(uj) || uj < 0 || !Number.isInteger(uj)) {
        ctx.quarantine(line, text, "time or counter is not a number (the counter is a non-negative integer in µJ)", {
          reading: true,
        });
        return;
      }
      reading(tS, uj, line, text);
    },
    end() {},
  };
}

export const rapl: PowerFormatSpec = { format: "rapl", title: "RAPL energy_uj counter samples", sniff, create };
