import { inputError } from "../../errors.js";
import { guessDelimiter, splitFields } from "./fields.js";
import { isMissingText, scanDecimal, strictNumber } from "./numbers.js";
import type { PowerFormatSpec, PowerLineParser, PowerParseContext } from "./parser.js";
import { parseClockS, parseDateTimeS } from "./time.js";

/**
 * Generic USB-meter / power-logger CSV: a header, then one reading per row; time plus either
 * power, or voltage and current. Units come from the header and are required for electrical
 * columns: `power_w`, `Power (mW)`, `P [W]`, `watts`, `voltage_V`, `Voltage (mV)`, `current_mA`,
 * `I [A]`, `amps`, or a bare unit as the name (`W`, `V`, `mA`). Time: `time_s`, `time (ms)`,
 * `elapsed_ms`, `timestamp`…: seconds or milliseconds by its unit; without a unit, numbers are
 * seconds (13-digit epoch milliseconds are recognised), and text is an ISO date-time or a time of
 * day `HH:MM:SS.fff` (seconds since the first midnight; a jump back by over 12 h is the next day,
 * as meter tools that print only the clock roll over at midnight). Without a
 * time column readings are spaced by `--interval`. Power wins over V×A when both are present.
 * Comma, semicolon or tab delimited; `#` comment lines above the header are skipped. The numeric
 * hot path reads bytes, not strings.
 */

type Quantity = "time" | "power" | "voltage" | "current";

const SCALE: Record<Quantity, Record<string, number>> = {
  time: { s: 1, sec: 1, secs: 1, second: 1, seconds: 1, ms: 1e-3, msec: 1e-3, milliseconds: 1e-3, us: 1e-6, µs: 1e-6 },
  power: { w: 1, watt: 1, watts: 1, mw: 1e-3 },
  voltage: { v: 1, volt: 1, volts: 1, mv: 1e-3 },
  current: { a: 1, amp: 1, amps: 1, ampere: 1, amperes: 1, ma: 1e-3 },
};
const WORDS: Record<Quantity, string[]> = {
  time: ["time", "t", "timestamp", "ts", "elapsed", "date", "datetime", "epoch", "clock", "unix"],
  power: ["power", "p", "pwr", "watts", "watt"],
  voltage: ["voltage", "volt", "volts", "v", "vbus", "u"],
  current: ["current", "i", "amps", "amp", "curr", "ibus"],
};
const BARE_UNIT: Record<string, Quantity> = {
  w: "power",
  mw: "power",
  v: "voltage",
  mv: "voltage",
  a: "current",
  ma: "current",
  s: "time",
  ms: "time",
};

export interface ColumnInfo {
  quantity: Quantity;
  /** Factor to SI (W, V, A, s); null when the header gives no unit. */
  scale: number | null;
  /** Unit text as written, when there is one. */
  unit: string | null;
}

/** What a header name says: its quantity and unit, or null for other columns. */
export function readColumnName(raw: string): ColumnInfo | { quantity: Quantity; unknownUnit: string } | null {
  const name = raw.trim().replace(/^"|"$/g, "");
  const bracket = /^(.*?)\s*[[(]\s*([^\])]*?)\s*[\])]\s*$/.exec(name);
  let base = name;
  let unit: string | null = null;
  if (bracket) {
    base = bracket[1]!;
    unit = bracket[2]!;
  }
  const tokens = base
    .toLowerCase()
    .split(/[\s_\-./]+/)
    .filter((t) => t !== "");
  if (unit === null && tokens.length === 1 && BARE_UNIT[tokens[0]!] && /^[mM]?[WVAs]$|^ms$/.test(base.trim())) {
    const q = BARE_UNIT[tokens[0]!]!;
    return { quantity: q, scale: SCALE[q][tokens[0]!]!, unit: base.trim() };
  }
  for (const q of ["power", "voltage", "current", "time"] as Quantity[]) {
    // A one-letter word (`v`, `a`, `p`, `t`…) names the quantity only as the first token: in
    // `dp_V` it is the unit of another quantity.
    const at = tokens.findIndex((t, k) => WORDS[q].includes(t) && (t.length > 1 || k === 0));
    if (at < 0) continue;
    let u = unit;
    if (u === null && at < tokens.length - 1) u = tokens[tokens.length - 1]!;
    if (u === null && ["watts", "watt", "volts", "volt", "amps", "amp"].includes(tokens[at]!)) u = tokens[at]!;
    if (u === null) return { quantity: q, scale: null, unit: null };
    const scale = SCALE[q][u.toLowerCase()];
    if (scale === undefined) {
      // `power_draw` has no unit; `power [kWh]` has an unknown one: both are fatal for power/V/A.
      if (q === "time" && unit === null) return { quantity: q, scale: null, unit: null };
      return { quantity: q, unknownUnit: u };
    }
    return { quantity: q, scale, unit: u };
  }
  return null;
}

function sniff(head: string) {
  const first = head.split(/\r?\n|\r/).find((l) => l.trim() !== "" && !l.trimStart().startsWith("#")) ?? "";
  const names = splitFields(first, guessDelimiter(first));
  if (names.length < 2) return { score: 0, reason: "not a delimited header" };
  const cols = names.map(readColumnName);
  const has = (q: Quantity) => cols.some((c) => c !== null && c.quantity === q && "scale" in c && c.scale !== null);
  const time = cols.some((c) => c !== null && c.quantity === "time");
  if (has("power") || (has("voltage") && has("current"))) {
    return {
      score: time ? 0.6 : 0.4,
      reason:
        `header has ${has("power") ? "power" : "voltage and current"} columns with units` +
        `${time ? " and a time column" : ""}`,
    };
  }
  return { score: 0, reason: "no power (or voltage and current) column with a unit" };
}

function create(ctx: PowerParseContext): PowerLineParser {
  let header: string[] | null = null;
  let delim = ",";
  let delimByte = 0x2c;
  let iT = -1,
    iP = -1,
    iV = -1,
    iA = -1;
  let sT = 1,
    sP = 1,
    sV = 1,
    sA = 1;
  let timeMode: "number" | "iso" | "clock" | "unknown" | "none" = "none";
  let dayS = 0; // clock mode: days rolled over × 86400
  let lastClockS = -Infinity;
  let timeUnitGiven = false;
  const td = new TextDecoder();

  function fatal(line: number, text: string, message: string, hint: string, field?: string): never {
    throw inputError(message, { file: ctx.file, line, text, hint, ...(field ? { field } : {}) });
  }

  function onHeader(text: string, line: number): void {
    delim = guessDelimiter(text);
    delimByte = delim.charCodeAt(0);
    header = splitFields(text, delim).map((s) => s.trim());
    const cols = header.map(readColumnName);
    cols.forEach((c, i) => {
      if (c !== null && "unknownUnit" in c) {
        fatal(
          line,
          text,
          `unknown unit "${c.unknownUnit}" in column "${header![i]}"`,
          `use W or mW for power, V or mV for voltage, A or mA for current, s or ms for time`,
          header![i],
        );
      }
    });
    const first = (q: Quantity) => cols.findIndex((c) => c !== null && c.quantity === q);
    iP = first("power");
    iV = first("voltage");
    iA = first("current");
    iT = first("time");
    const unitless = (i: number) => i >= 0 && (cols[i] as ColumnInfo).scale === null;
    if (unitless(iP)) {
      fatal(
        line,
        text,
        `power column "${header[iP]}" has no unit`,
        `name it with its unit, e.g. power_w or "power (mW)"`,
        header[iP],
      );
    }
    if (iP < 0) {
      if (iV < 0 || iA < 0) {
        fatal(
          line,
          text,
          "no power column, and no voltage and current columns, in the header",
          "the header must name a power column (power_w, W, mW…) " +
            "or voltage and current columns (voltage_V, current_mA…)",
        );
      }
      for (const i of [iV, iA])
        if (unitless(i))
          fatal(
            line,
            text,
            `column "${header[i]}" has no unit`,
            "name it with its unit, e.g. voltage_V, current_mA",
            header[i],
          );
      sV = (cols[iV] as ColumnInfo).scale!;
      sA = (cols[iA] as ColumnInfo).scale!;
      ctx.setRail(`${header[iV]} × ${header[iA]}`);
    } else {
      sP = (cols[iP] as ColumnInfo).scale!;
      ctx.setRail(header[iP]!);
    }
    if (iT >= 0) {
      const c = cols[iT] as ColumnInfo;
      timeUnitGiven = c.scale !== null;
      sT = c.scale ?? 1;
      timeMode = timeUnitGiven ? "number" : "unknown";
    }
  }

  function badValue(line: number, text: string, what: string, value: string): void {
    const why = isMissingText(value)
      ? "is N/A"
      : Number.isNaN(strictNumber(value))
        ? "is not a number"
        : "is not finite";
    ctx.quarantine(line, text, `${what}${why === "is N/A" ? "" : ` "${value.trim()}"`} ${why}`, { reading: true });
  }

  function timeOf(field: string, line: number, text: string): number | null | undefined {
    if (timeMode === "unknown") {
      const n = strictNumber(field);
      if (Number.isFinite(n)) {
        timeMode = "number";
        if (n > 1e11) sT = 1e-3; // 13-digit epoch milliseconds
      } else if (parseDateTimeS(field) !== null) timeMode = "iso";
      else if (parseClockS(field) !== null) timeMode = "clock";
    }
    let t: number | null;
    if (timeMode === "clock") {
      const c = parseClockS(field);
      if (c !== null && c + dayS < lastClockS - 43200) dayS += 86400;
      t = c === null ? null : c + dayS;
      if (t !== null) lastClockS = t;
    } else t = timeMode === "iso" ? parseDateTimeS(field) : strictNumber(field) * sT;
    if (t === null || !Number.isFinite(t)) {
      ctx.quarantine(line, text, `unreadable time "${field.trim()}"`, { reading: true });
      return undefined;
    }
    return t;
  }

  /** The string path: header, quoted fields, and every line with a problem. */
  function line(text: string, lineNo: number): void {
    if (header === null) {
      if (text.trimStart().startsWith("#")) return; // a comment above the header (tool name, settings)
      onHeader(text, lineNo);
      return;
    }
    if (text.trim() === "") return;
    const f = splitFields(text, delim);
    if (f.length !== header.length) {
      if (text.trim() === header.join(delim).trim()) return; // repeated header
      ctx.quarantine(
        lineNo,
        text,
        `expected ${header.length} fields as in the header, found ${f.length} (truncated or garbled line?)`,
        { reading: true },
      );
      return;
    }
    let powerW: number;
    if (iP >= 0) {
      const p = strictNumber(f[iP]!);
      if (!Number.isFinite(p)) return badValue(lineNo, text, "power", f[iP]!);
      powerW = p * sP;
    } else {
      const v = strictNumber(f[iV]!);
      if (!Number.isFinite(v)) return badValue(lineNo, text, "voltage", f[iV]!);
      const a = strictNumber(f[iA]!);
      if (!Number.isFinite(a)) return badValue(lineNo, text, "current", f[iA]!);
      powerW = v * sV * (a * sA);
    }
    let tS: number | null = null;
    if (iT >= 0) {
      const t = timeOf(f[iT]!, lineNo, text);
      if (t === undefined) return;
      tS = t;
    }
    if (tS === null) ctx.emit({ tS, powerW, line: lineNo });
    else ctx.emitPoint(tS, powerW, lineNo);
  }

  // The fast path parses the numbers it needs while it looks for delimiters: every byte is
  // read once, no string is made, and no float crosses a call (values go to typed arrays).
  let want = new Uint8Array(0); // 1 for the columns we read
  let vals = new Float64Array(0); // their values on the current line

  function setUpFastPath(): void {
    want = new Uint8Array(header!.length);
    vals = new Float64Array(header!.length);
    for (const i of [iT, iP, iV, iA]) if (i >= 0) want[i] = 1;
  }

  function slow(buf: Uint8Array, start: number, end: number, lineNo: number): void {
    line(td.decode(buf.subarray(start, end)), lineNo); // the string path says what is wrong
  }

  function lineBytes(buf: Uint8Array, start: number, end: number, lineNo: number): void {
    if (header === null || timeMode !== "number" || iT < 0) return slow(buf, start, end, lineNo);
    if (want.length !== header.length) setUpFastPath();
    const nf = header.length;
    let i = start;
    for (let k = 0; k < nf; k++) {
      if (want[k] === 0) {
        // A column we do not read: skip to its delimiter (quotes go to the string path).
        for (; i < end; i++) {
          const c = buf[i]!;
          if (c === delimByte) break;
          if (c === 0x22) return slow(buf, start, end, lineNo);
        }
      } else {
        i = scanDecimal(buf, i, end, vals, k); // N/A, exponents, long mantissas… go to the string path
        if (i < 0) return slow(buf, start, end, lineNo);
      }
      if (k < nf - 1) {
        if (i >= end || buf[i] !== delimByte) return slow(buf, start, end, lineNo); // too few fields, or junk
        i++;
      } else if (i !== end) return slow(buf, start, end, lineNo); // too many fields, or junk
    }
    point[0] = vals[iT]! * sT;
    point[1] = iP >= 0 ? vals[iP]! * sP : vals[iV]! * sV * (vals[iA]! * sA);
    ctx.emitPointed(lineNo);
  }
  /** Leave a line to `slow` once its end is known; -1 when it has no LF before `limit`. */
  function bail(buf: Uint8Array, start: number, limit: number, lineNo: number): number {
    const lf = buf.indexOf(0x0a, start);
    if (lf < 0 || lf >= limit) return -1;
    const e = lf > start && buf[lf - 1] === 0x0d ? lf - 1 : lf;
    if (e > start) slow(buf, start, e, lineNo);
    return lf;
  }

  /** `lineBytes` that finds the line's end as it goes (see PowerLineParser.scanLine). */
  function scanLine(buf: Uint8Array, start: number, limit: number, lineNo: number): number {
    if (header === null || timeMode !== "number" || iT < 0) return -2;
    if (want.length !== header.length) setUpFastPath();
    const nf = header.length;
    let i = start;
    for (let k = 0; k < nf; k++) {
      if (want[k] === 0) {
        for (; i < limit; i++) {
          const c = buf[i]!;
          if (c === delimByte || c === 0x0a || c === 0x0d) break;
          if (c === 0x22) return bail(buf, start, limit, lineNo);
        }
      } else {
        i = scanDecimal(buf, i, limit, vals, k);
        if (i < 0) return bail(buf, start, limit, lineNo);
      }
      if (i >= limit) return -1; // the line goes on in the next chunk
      let c = buf[i]!;
      if (k < nf - 1) {
        if (c !== delimByte) return bail(buf, start, limit, lineNo);
        i++;
      } else {
        if (c === 0x0d) {
          if (++i >= limit) return -1;
          c = buf[i]!;
        }
        if (c !== 0x0a) return bail(buf, start, limit, lineNo);
        point[0] = vals[iT]! * sT;
        point[1] = iP >= 0 ? vals[iP]! * sP : vals[iV]! * sV * (vals[iA]! * sA);
        ctx.emitPointed(lineNo);
        return i;
      }
    }
    return bail(buf, start, limit, lineNo); // no columns at all (not reached with a header)
  }
  const point = ctx.point;

  return {
    line,
    lineBytes,
    scanLine,
    end() {},
  };
}

export const usbCsv: PowerFormatSpec = {
  format: "usb-csv",
  title: "generic USB-meter CSV (time + W, or time + V + A)",
  sniff,
  create,
};
