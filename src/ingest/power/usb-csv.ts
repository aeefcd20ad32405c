import { inputError } from "../../errors.js";
import { electricalOutOfBounds, PHYSICAL_BOUNDS } from "./bounds.js";
import { guessDelimiter, splitFields } from "./fields.js";
import { isMissingText, scanDecimal, strictNumber } from "./numbers.js";
import type { PowerFormatSpec, PowerLineParser, PowerParseContext, PowerParserOptions } from "./parser.js";
import { KNOWN_INPUT_RAILS } from "./tegrastats.js";
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
 * hot path reads bytes, not strings. A file without a header is read with the caller's column
 * names (`columns`: `time_s,power_w`…), its first line then a reading. A rail export with no power
 * column (`POM_5V_IN (mW),POM_5V_GPU (mW),…`, tegrastats parsed to CSV) takes the board's input
 * rail column (or `inputRail`) as the total.
 */

type Quantity = "time" | "power" | "voltage" | "current";

const { maxVoltageV: MAX_V, maxCurrentA: MAX_A } = PHYSICAL_BOUNDS["usb-csv"];

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

const COLUMNS_HINT =
  "name every column of the file in order (time_s, time_ms, power_w, power_mw, voltage_v, current_a, " +
  "or - for one to skip)";

function sniff(head: string) {
  const first = head.split(/\r?\n|\r/).find((l) => l.trim() !== "" && !l.trimStart().startsWith("#")) ?? "";
  const names = splitFields(first, guessDelimiter(first));
  if (names.length < 2) return { score: 0, reason: "not a delimited header" };
  if (names.every((n) => Number.isFinite(strictNumber(n))))
    return { score: 0.3, reason: "numbers without a header: name the columns (e.g. time_s,power_w)" };
  if (inputRailColumn(names, undefined) !== null)
    return { score: 0.55, reason: "header has a Jetson input rail column with a power unit (a rail export)" };
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

/** The columns a header names: which hold time, power, voltage and current, and their scales. */
interface HeaderLayout {
  header: string[];
  delim: string;
  iT: number;
  iP: number;
  iV: number;
  iA: number;
  sT: number;
  sP: number;
  sV: number;
  sA: number;
  /** Whether the time column states its unit. */
  timeUnitGiven: boolean;
  /** The total's source, for summaries. */
  rail: string;
}

/** A rail column of a board's input rail with a power unit (`POM_5V_IN (mW)`, `VDD_IN_mW`), or null. */
function inputRailColumn(
  header: readonly string[],
  inputRail: string | undefined,
): { i: number; scale: number } | null {
  const rails: readonly string[] = inputRail === undefined ? KNOWN_INPUT_RAILS : [inputRail];
  for (let i = 0; i < header.length; i++) {
    const m = /^"?([A-Za-z][\w]*?)(?:\s*[[(]\s*(m?W)\s*[\])]|_(m?W))"?$/.exec(header[i]!.trim());
    if (m !== null && rails.includes(m[1]!)) return { i, scale: (m[2] ?? m[3]) === "mW" ? 1e-3 : 1 };
  }
  return null;
}

/** The header: the file's first line, or the caller's names for a file without one (`columns`). */
function headerNames(text: string, columns: readonly string[] | undefined): { header: string[]; delim: string } {
  const delim = guessDelimiter(text);
  if (columns === undefined) return { header: splitFields(text, delim).map((s) => s.trim()), delim };
  return { header: columns.map((c) => (c.trim() === "-" ? "" : c.trim())), delim };
}

/** Read a header line (or the caller's column names), or throw naming the column that cannot be used. */
function readHeader(text: string, line: number, file: string, options: PowerParserOptions): HeaderLayout {
  const fatal = (message: string, hint: string, field?: string): never => {
    throw inputError(message, { file, line, text, hint, ...(field ? { field } : {}) });
  };
  const { header, delim } = headerNames(text, options.columns);
  if (options.columns !== undefined && splitFields(text, delim).length !== header.length) {
    const n = splitFields(text, delim).length;
    fatal(`the first line has ${n} field(s) but ${header.length} column name(s) were given`, COLUMNS_HINT, "columns");
  }
  const cols = header.map(readColumnName);
  cols.forEach((c, i) => {
    if (c !== null && "unknownUnit" in c) {
      const hint = `use W or mW for power, V or mV for voltage, A or mA for current, s or ms for time`;
      fatal(`unknown unit "${c.unknownUnit}" in column "${header[i]}"`, hint, header[i]);
    }
  });
  const first = (q: Quantity) => cols.findIndex((c) => c !== null && c.quantity === q);
  const [iV, iA, iT] = [first("voltage"), first("current"), first("time")];
  let iP = first("power");
  const rail = iP < 0 ? inputRailColumn(header, options.inputRail) : null;
  if (rail !== null) {
    // A rail export (tegrastats parsed to CSV): the input rail is the total, the others are inside it.
    iP = rail.i;
    cols[iP] = { quantity: "power", scale: rail.scale, unit: rail.scale === 1 ? "W" : "mW" };
  }
  const scaleOf = (i: number) => (cols[i] as ColumnInfo).scale;
  const unitless = (i: number) => i >= 0 && scaleOf(i) === null;
  if (unitless(iP))
    fatal(
      `power column "${header[iP]}" has no unit`,
      `name it with its unit, e.g. power_w or "power (mW)"`,
      header[iP],
    );
  const layout = { header, delim, iT, iP, iV, iA, sT: 1, sP: 1, sV: 1, sA: 1, timeUnitGiven: false, rail: "" };
  if (iP < 0) {
    if (iV < 0 || iA < 0) {
      fatal(
        "no power column, and no voltage and current columns, in the header",
        "the header must name a power column (power_w, W, mW…) " +
          "or voltage and current columns (voltage_V, current_mA…)",
      );
    }
    for (const i of [iV, iA])
      if (unitless(i))
        fatal(`column "${header[i]}" has no unit`, "name it with its unit, e.g. voltage_V, current_mA", header[i]);
    layout.sV = scaleOf(iV)!;
    layout.sA = scaleOf(iA)!;
    layout.rail = `${header[iV]} × ${header[iA]}`;
  } else {
    layout.sP = scaleOf(iP)!;
    layout.rail = header[iP]!;
  }
  if (iT >= 0) {
    layout.timeUnitGiven = scaleOf(iT) !== null;
    layout.sT = scaleOf(iT) ?? 1;
  }
  return layout;
}

/**
 * The parser: a string path for the header, quoted fields and every line with a problem, and a
 * byte path for the numeric rows that parses the numbers it needs while it looks for delimiters:
 * every byte is read once, no string is made, and no float crosses a call (values go to typed
 * arrays).
 */
class UsbCsvParser implements PowerLineParser {
  private header: string[] | null = null;
  private delim = ",";
  private delimByte = 0x2c;
  private iT = -1;
  private iP = -1;
  private iV = -1;
  private iA = -1;
  private sT = 1;
  private sP = 1;
  private sV = 1;
  private sA = 1;
  private timeMode: "number" | "iso" | "clock" | "unknown" | "none" = "none";
  private dayS = 0; // clock mode: days rolled over × 86400
  private lastClockS = -Infinity;
  private readonly td = new TextDecoder();
  private want = new Uint8Array(0); // 1 for the columns we read
  private vals = new Float64Array(0); // their values on the current line
  private readonly point: Float64Array;

  constructor(private readonly ctx: PowerParseContext) {
    this.point = ctx.point;
  }

  private onHeader(text: string, line: number): void {
    const h = readHeader(text, line, this.ctx.file, this.ctx.options);
    this.header = h.header;
    this.delim = h.delim;
    this.delimByte = h.delim.charCodeAt(0);
    ({ iT: this.iT, iP: this.iP, iV: this.iV, iA: this.iA } = h);
    ({ sT: this.sT, sP: this.sP, sV: this.sV, sA: this.sA } = h);
    this.ctx.setRail(h.rail);
    if (h.iT >= 0) this.timeMode = h.timeUnitGiven ? "number" : "unknown";
  }

  private badValue(line: number, text: string, what: string, value: string): undefined {
    const why = isMissingText(value)
      ? "is N/A"
      : Number.isNaN(strictNumber(value))
        ? "is not a number"
        : "is not finite";
    const reason = `${what}${why === "is N/A" ? "" : ` "${value.trim()}"`} ${why}`;
    this.ctx.quarantine(line, text, reason, { reading: true });
    return undefined;
  }

  private timeOf(field: string, line: number, text: string): number | null | undefined {
    if (this.timeMode === "unknown") {
      const n = strictNumber(field);
      if (Number.isFinite(n)) {
        this.timeMode = "number";
        if (n > 1e11) this.sT = 1e-3; // 13-digit epoch milliseconds
      } else if (parseDateTimeS(field) !== null) this.timeMode = "iso";
      else if (parseClockS(field) !== null) this.timeMode = "clock";
    }
    let t: number | null;
    if (this.timeMode === "clock") {
      const c = parseClockS(field);
      if (c !== null && c + this.dayS < this.lastClockS - 43200) this.dayS += 86400;
      t = c === null ? null : c + this.dayS;
      if (t !== null) this.lastClockS = t;
    } else t = this.timeMode === "iso" ? parseDateTimeS(field) : strictNumber(field) * this.sT;
    if (t === null || !Number.isFinite(t)) {
      this.ctx.quarantine(line, text, `unreadable time "${field.trim()}"`, { reading: true });
      return undefined;
    }
    return t;
  }

  /** Power of a row's fields (W), or undefined when a value is bad (quarantined). */
  private powerOf(f: string[], lineNo: number, text: string): number | undefined {
    const { iP, iV, iA } = this;
    if (iP >= 0) {
      const p = strictNumber(f[iP]!);
      if (!Number.isFinite(p)) return this.badValue(lineNo, text, "power", f[iP]!);
      return p * this.sP;
    }
    const v = strictNumber(f[iV]!);
    if (!Number.isFinite(v)) return this.badValue(lineNo, text, "voltage", f[iV]!);
    const a = strictNumber(f[iA]!);
    if (!Number.isFinite(a)) return this.badValue(lineNo, text, "current", f[iA]!);
    const outside =
      electricalOutOfBounds("usb-csv", "voltage", v * this.sV) ??
      electricalOutOfBounds("usb-csv", "current", a * this.sA);
    if (outside !== null) {
      this.ctx.quarantine(lineNo, text, outside, { reading: true });
      return undefined;
    }
    return v * this.sV * (a * this.sA);
  }

  /** The string path: header, quoted fields, and every line with a problem. */
  line(text: string, lineNo: number): void {
    const header = this.header;
    if (header === null) {
      if (text.trimStart().startsWith("#")) return; // a comment above the header (tool name, settings)
      this.onHeader(text, lineNo);
      if (this.ctx.options.columns === undefined) return;
      // No header in the file: its first line is a reading.
    }
    if (text.trim() === "") return;
    const f = splitFields(text, this.delim);
    if (f.length !== this.header!.length) {
      if (text.trim() === this.header!.join(this.delim).trim()) return; // repeated header
      const reason =
        `expected ${this.header!.length} fields as in the header, found ${f.length} ` + "(truncated or garbled line?)";
      this.ctx.quarantine(lineNo, text, reason, { reading: true });
      return;
    }
    const powerW = this.powerOf(f, lineNo, text);
    if (powerW === undefined) return;
    let tS: number | null = null;
    if (this.iT >= 0) {
      const t = this.timeOf(f[this.iT]!, lineNo, text);
      if (t === undefined) return;
      tS = t;
    }
    if (tS === null) this.ctx.emit({ tS, powerW, line: lineNo });
    else this.ctx.emitPoint(tS, powerW, lineNo);
  }

  private setUpFastPath(): void {
    this.want = new Uint8Array(this.header!.length);
    this.vals = new Float64Array(this.header!.length);
    for (const i of [this.iT, this.iP, this.iV, this.iA]) if (i >= 0) this.want[i] = 1;
  }

  private slow(buf: Uint8Array, start: number, end: number, lineNo: number): void {
    this.line(this.td.decode(buf.subarray(start, end)), lineNo); // the string path says what is wrong
  }

  /** Whether the fast path's voltage and current are in range (else the string path says why). */
  private inBounds(): boolean {
    if (this.iP >= 0) return true;
    const v = this.vals[this.iV]! * this.sV;
    const a = this.vals[this.iA]! * this.sA;
    return v >= 0 && v <= MAX_V && a >= 0 && a <= MAX_A;
  }

  /** Emit the fast path's reading from the values it parsed. */
  private emitValues(lineNo: number): void {
    const vals = this.vals;
    this.point[0] = vals[this.iT]! * this.sT;
    this.point[1] = this.iP >= 0 ? vals[this.iP]! * this.sP : vals[this.iV]! * this.sV * (vals[this.iA]! * this.sA);
    this.ctx.emitPointed(lineNo);
  }

  lineBytes(buf: Uint8Array, start: number, end: number, lineNo: number): void {
    const header = this.header;
    if (header === null || this.timeMode !== "number" || this.iT < 0) return this.slow(buf, start, end, lineNo);
    if (this.want.length !== header.length) this.setUpFastPath();
    const { want, vals, delimByte } = this;
    const nf = header.length;
    let i = start;
    for (let k = 0; k < nf; k++) {
      if (want[k] === 0) {
        // A column we do not read: skip to its delimiter (quotes go to the string path).
        for (; i < end; i++) {
          const c = buf[i]!;
          if (c === delimByte) break;
          if (c === 0x22) return this.slow(buf, start, end, lineNo);
        }
      } else {
        i = scanDecimal(buf, i, end, vals, k); // N/A, exponents, long mantissas… go to the string path
        if (i < 0) return this.slow(buf, start, end, lineNo);
      }
      if (k < nf - 1) {
        if (i >= end || buf[i] !== delimByte) return this.slow(buf, start, end, lineNo); // too few fields, or junk
        i++;
      } else if (i !== end) return this.slow(buf, start, end, lineNo); // too many fields, or junk
    }
    if (!this.inBounds()) return this.slow(buf, start, end, lineNo);
    this.emitValues(lineNo);
  }

  /** Leave a line to `slow` once its end is known; -1 when it has no LF before `limit`. */
  private bail(buf: Uint8Array, start: number, limit: number, lineNo: number): number {
    const lf = buf.indexOf(0x0a, start);
    if (lf < 0 || lf >= limit) return -1;
    const e = lf > start && buf[lf - 1] === 0x0d ? lf - 1 : lf;
    if (e > start) this.slow(buf, start, e, lineNo);
    return lf;
  }

  /** `lineBytes` that finds the line's end as it goes (see PowerLineParser.scanLine). */
  scanLine(buf: Uint8Array, start: number, limit: number, lineNo: number): number {
    const header = this.header;
    if (header === null || this.timeMode !== "number" || this.iT < 0) return -2;
    if (this.want.length !== header.length) this.setUpFastPath();
    const { want, vals, delimByte } = this;
    const nf = header.length;
    let i = start;
    for (let k = 0; k < nf; k++) {
      if (want[k] === 0) {
        for (; i < limit; i++) {
          const c = buf[i]!;
          if (c === delimByte || c === 0x0a || c === 0x0d) break;
          if (c === 0x22) return this.bail(buf, start, limit, lineNo);
        }
      } else {
        i = scanDecimal(buf, i, limit, vals, k);
        if (i < 0) return this.bail(buf, start, limit, lineNo);
      }
      if (i >= limit) return -1; // the line goes on in the next chunk
      let c = buf[i]!;
      if (k < nf - 1) {
        if (c !== delimByte) return this.bail(buf, start, limit, lineNo);
        i++;
      } else {
        if (c === 0x0d) {
          if (++i >= limit) return -1;
          c = buf[i]!;
        }
        if (c !== 0x0a || !this.inBounds()) return this.bail(buf, start, limit, lineNo);
        this.emitValues(lineNo);
        return i;
      }
    }
    return this.bail(buf, start, limit, lineNo); // no columns at all (not reached with a header)
  }

  end(): void {}

  /** Numeric times with their scale settled by the first reading: nothing else carries between rows. */
  splittable(): boolean {
    return this.header !== null && this.iT >= 0 && this.timeMode === "number";
  }
}

function create(ctx: PowerParseContext): PowerLineParser {
  return new UsbCsvParser(ctx);
}

export const usbCsv: PowerFormatSpec = {
  format: "usb-csv",
  title: "generic USB-meter CSV (time + W, or time + V + A)",
  sniff,
  create,
};
