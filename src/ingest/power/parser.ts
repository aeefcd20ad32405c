import type { PowerFormat, PowerSample } from "../types.js";

/**
 * The contract between the reader (`read.ts`) and one format module. A format module turns lines
 * into `PowerSample`s through `ctx.emit` and rejected lines into quarantine entries through
 * `ctx.quarantine`; it throws `inputError` only for fatal problems (wrong format, unknown unit in
 * a header). The reader owns everything common to all formats: line splitting, BOMs and CRLF,
 * blank lines, timestamps for time-less logs, monotonic time, finite non-negative power.
 */
export interface PowerParseContext {
  /** File name as the user gave it (for messages). */
  readonly file: string;
  readonly options: PowerParserOptions;
  emit(sample: PowerSample): void;
  /** Same as `emit` for a plain timed reading (no rails, no span): the fast path, no object. */
  emitPoint(tS: number, powerW: number, line: number): void;
  /**
   * The fastest path, for parsers of high-rate logs: write time and power into `point[0]` and
   * `point[1]`, then call `emitPointed(line)` (no float crosses a call, so none is boxed).
   */
  readonly point: Float64Array;
  emitPointed(line: number): void;
  /**
   * Say where total power comes from (`POM_5V_IN`, `Power TOT`, `power_w`, `voltage_V × current_A`,
   * …), for summaries; the first call wins, later calls with another name are ignored.
   */
  setRail(description: string): void;
  /** Say in words how the total is taken (tegrastats: input rail, board sum, caller's sum); first call wins. */
  setTotalRule(description: string): void;
  /**
   * Reject a line or block. `reading: true` says the rejected text was one of the log's readings
   * (a truncated tegrastats line, a PMIC block with rails missing): in a log without timestamps it
   * still took one sampling slot, so the times of later readings stay right.
   */
  quarantine(line: number, text: string, reason: string, more?: { reading?: boolean; lineEnd?: number }): void;
}

/** Options that change how a format is read (all optional). */
export interface PowerParserOptions {
  /**
   * Name of the rail that is the total input power, for tegrastats and jtop logs of boards whose
   * input rail is not `POM_5V_IN` / `VDD_IN` / `VIN` (`A+B+C` is the older spelling of `sumRails`).
   */
  inputRail?: string;
  /**
   * tegrastats of a board without an input rail: the separate supplies whose sum is the total
   * (AGX Xavier: GPU, CPU, SOC, CV, VDDRQ, SYS5V). Overrides the board rules and `inputRail`.
   */
  sumRails?: readonly string[];
  /**
   * Power CSVs (usb-csv) whose first line is no header: the name of each column, in order
   * (`time_s`, `time_ms`, `power_w`, `power_mw`, `voltage_v`, `current_a`; `-` for a column to
   * ignore). Without a time column, readings are `intervalMs` apart.
   */
  columns?: readonly string[];
  /** RAPL: counter range when the log does not state `max_energy_range_uj`. */
  maxEnergyRangeUj?: number;
}

export interface PowerLineParser {
  /** One non-blank line (line end removed, first line without BOM), with its 1-based number. */
  line(text: string, line: number): void;
  /**
   * Optional fast path for high-rate numeric logs: the same line as bytes `buf[start, end)`.
   * When defined, the reader calls it instead of `line` for every non-empty line after the first
   * non-blank one (which goes to `line`, so the header is read as text).
   */
  lineBytes?(buf: Uint8Array, start: number, end: number, line: number): void;
  /**
   * Optional, faster still: parse the line that starts at `start` while looking for its end, so
   * that the reader need not find it first. Returns the index of the line's LF (the line is then
   * taken, blank or not), or a negative number to leave the line to the reader (no LF before
   * `limit`, or not ready): nothing may be emitted or quarantined in that case.
   */
  scanLine?(buf: Uint8Array, start: number, limit: number, line: number): number;
  /** End of file after `lastLine` lines: flush a pending block. */
  end(lastLine: number): void;
  /**
   * Optional: true when, after the lines seen so far, every further line is read on its own (no
   * state crosses lines), so that a large file may be cut at line boundaries and its parts read
   * apart by parsers that have seen the same head (see split.ts).
   */
  splittable?(): boolean;
}

/** Evidence that a text is in a format: 0 (none) … 1 (unmistakable), with the reason. */
export interface FormatScore {
  score: number;
  reason: string;
}

export interface PowerFormatSpec {
  format: PowerFormat;
  /** One-line description for --help and messages. */
  title: string;
  /** How sure we are that `head` (the first kilobytes, BOM removed) is in this format. */
  sniff(head: string): FormatScore;
  create(ctx: PowerParseContext): PowerLineParser;
}
