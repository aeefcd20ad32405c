import { inputError } from "../../errors.js";
import type { PowerFormat, PowerSample, QuarantineEntry } from "../types.js";
import { PowerBatch } from "./batch.js";
import { PHYSICAL_BOUNDS, powerOutOfBounds } from "./bounds.js";
import { POWER_FORMAT_SPECS } from "./formats.js";
import type { PowerLineParser, PowerParserOptions } from "./parser.js";
import { findVcgencmdNotRegistered, noPmicAdcError } from "./vcgencmd.js";

/** A reading held back by the engine (see `JUMP_MIN_S`), with what its quarantine would say. */
export interface HeldReading {
  sample: PowerSample;
  text: string;
  dtS: number;
  after: number;
}

/** The engine's state between two readings of a timed log (see `PowerEngine.carry`). */
export interface EngineCarry {
  lastT: number;
  lastLine: number;
  jumpS: number;
  held: HeldReading | null;
}

/** What reading a power log found, besides its samples. */
export interface PowerLogSummary {
  file: string;
  format: PowerFormat;
  /** Samples yielded (after quarantine). */
  samples: number;
  /** Lines or blocks quarantined. */
  quarantined: number;
  /** Lines in the file (blank ones included). */
  lines: number;
  /** True when the log has its own times; false when they were assigned from `intervalMs`. */
  timed: boolean;
  /** Spacing used for a log without times (ms), else null. */
  intervalMs: number | null;
  /** Where total power comes from: the input rail or column (`POM_5V_IN`, `Power TOT`, `power_w`…). */
  rail: string;
  /** How the total was taken, in words (tegrastats: input rail, board sum or the caller's sum), else null. */
  totalRule: string | null;
}

export interface EngineOptions extends PowerParserOptions {
  /** Spacing of readings in logs without times (ms); default 1000 (tegrastats' default). */
  intervalMs?: number;
  onQuarantine?: (entry: QuarantineEntry) => void;
}

/**
 * A timed reading more than max(JUMP_MIN_S, JUMP_FACTOR × the last interval) after the one before
 * it is held until the next reading: one stamp a day ahead then quarantines itself, not every
 * reading after it.
 */
export const JUMP_MIN_S = 60;
export const JUMP_FACTOR = 50;

/** Quarantined text is clipped so one huge garbage line cannot bloat the quarantine file. */
const MAX_TEXT = 2000;
const clip = (s: string) => (s.length <= MAX_TEXT ? s : `${s.slice(0, MAX_TEXT - 1)}…`);

/**
 * The format-independent half of reading a power log, synchronous and I/O-free: feeds lines to a
 * format parser and applies the rules every format shares. Samples collect in `batch` (taken by
 * the caller after each chunk, as columns). Rules: power must be finite, ≥ 0 and within the
 * format's physical range (bounds.ts); a log either has times on
 * every reading or on none (the first reading decides); timed readings must move forward
 * strictly (duplicates and steps back are quarantined, the earlier reading is kept); a log without
 * times gets tS = slot × intervalMs / 1000, where every reading — kept or quarantined — takes
 * one slot, so that one bad line does not shift the times of the lines after it.
 */
export class PowerEngine {
  readonly parser: PowerLineParser;
  batch = new PowerBatch(4096);
  private slot = 0;
  private mode: "timed" | "timeless" | null = null;
  private lastT = -Infinity;
  private lastLine = 0;
  private samples = 0;
  private quarantined = 0;
  private firstText: { line: number; text: string } | null = null;
  private firstRejection: QuarantineEntry | null = null;
  /**
   * The line being parsed, as bytes (set by the LineFeeder before each call to the parser), so
   * that a reading rejected here is quarantined with its raw text.
   */
  curBuf: Buffer | null = null;
  curStart = 0;
  curEnd = 0;
  curLine = 0;
  private readonly intervalS: number;
  /** Largest power a reading of this format can be (see bounds.ts). */
  private readonly maxPowerW: number;
  /** Where total power comes from (see PowerParseContext.setRail). */
  rail: string | null = null;
  /** How the total is taken (see PowerParseContext.setTotalRule). */
  totalRule: string | null = null;

  constructor(
    readonly file: string,
    readonly format: PowerFormat,
    private readonly options: EngineOptions,
  ) {
    const intervalMs = options.intervalMs ?? 1000;
    if (!(intervalMs > 0) || !Number.isFinite(intervalMs)) {
      throw inputError(`interval ${intervalMs} ms is not a positive number`, {
        file,
        field: "intervalMs",
        hint: "give the logger's sampling interval in ms (e.g. 1000)",
      });
    }
    this.intervalS = intervalMs / 1000;
    this.maxPowerW = PHYSICAL_BOUNDS[format].maxPowerW;
    this.parser = POWER_FORMAT_SPECS[format].create({
      file,
      options,
      emit: (s) => this.accept(s),
      emitPoint: (t, p, line) => this.acceptPoint(t, p, line),
      point: this.point,
      emitPointed: (line) => this.acceptPointed(line),
      setRail: (d) => void (this.rail ??= d),
      setTotalRule: (d) => void (this.totalRule ??= d),
      quarantine: (line, text, reason, more) => this.reject(line, text, reason, more?.reading ?? false, more?.lineEnd),
    });
  }

  /** Remember the first non-blank line (for the "no readings" error). */
  noteLine(line: number, text: string): void {
    if (this.firstText === null) this.firstText = { line, text };
  }

  /** Quarantine a line that is no reading (too long to read, say). */
  quarantineLine(line: number, text: string, reason: string): void {
    this.reject(line, text, reason, false);
  }

  private reject(line: number, text: string, reason: string, reading: boolean, lineEnd?: number): void {
    this.quarantined++;
    if (reading && this.mode !== "timed") this.slot++;
    const entry: QuarantineEntry = { file: this.file, line, text: clip(text), reason };
    if (lineEnd !== undefined && lineEnd !== line) entry.lineEnd = lineEnd;
    this.firstRejection ??= entry;
    this.options.onQuarantine?.(entry);
  }

  private accept(s: PowerSample): void {
    const text = () =>
      s.line === this.curLine && this.curBuf !== null && s.lineEnd === undefined
        ? this.currentLineText(this.curBuf)
        : `power ${s.powerW} W${s.tS === null ? "" : ` at t=${s.tS}`}`;
    const outside = powerOutOfBounds(this.format, s.powerW);
    if (outside !== null) return this.reject(s.line, text(), outside, true, s.lineEnd);
    if (s.tS === null) {
      if (this.mode === "timed")
        return this.reject(
          s.line,
          text(),
          "reading without a time stamp in a log whose readings have one",
          true,
          s.lineEnd,
        );
      this.mode = "timeless";
      s.tS = this.slot * this.intervalS;
      this.slot++;
    } else {
      if (this.mode === "timeless")
        return this.reject(
          s.line,
          text(),
          "reading with a time stamp in a log whose first readings have none",
          true,
          s.lineEnd,
        );
      this.mode = "timed";
      if (this.held !== null) this.settleHeld(s);
      if (!(s.tS > this.lastT)) {
        return this.reject(
          s.line,
          text(),
          s.tS === this.lastT
            ? `duplicate time stamp ${s.tS} (same as line ${this.lastLine})`
            : `time stamp goes back by ${this.lastT - s.tS} s (line ${this.lastLine} has ${this.lastT})`,
          true,
          s.lineEnd,
        );
      }
      const dt = s.tS - this.lastT;
      if (this.lastT > -Infinity && dt > this.jumpS) {
        // Far ahead of the readings before it: kept back until the next reading says whether it is a gap or a stray.
        this.held = { sample: s, text: text(), dtS: dt, after: this.lastLine };
        return;
      }
      if (this.lastT > -Infinity) this.jumpS = Math.max(JUMP_MIN_S, JUMP_FACTOR * dt);
      this.lastT = s.tS;
      this.lastLine = s.line;
    }
    this.samples++;
    this.batch.push(s);
  }

  /** A reading far ahead of the one before it (see `JUMP_MIN_S`), waiting for the next. */
  private held: HeldReading | null = null;
  /** How far ahead a reading may be of the last before it is held (s). */
  private jumpS = JUMP_MIN_S;

  /**
   * The reading after a held one decides: later than it, the held reading was a real gap and is
   * taken; between the last reading and it, the held one was a stray stamp and is quarantined
   * alone (not the readings after it); earlier than both, it is rejected and the held one waits.
   */
  private settleHeld(next: PowerSample): void {
    const h = this.held!;
    const tS = h.sample.tS!;
    if (next.tS! > tS) {
      this.held = null;
      this.lastT = tS;
      this.lastLine = h.sample.line;
      this.samples++;
      this.batch.push(h.sample);
    } else if (next.tS! > this.lastT) {
      this.held = null;
      this.reject(
        h.sample.line,
        h.text,
        `time stamp jumps ${h.dtS} s ahead of line ${h.after}, and the next reading (line ${next.line}) is ` +
          "back before it: a stray time stamp",
        true,
        h.sample.lineEnd,
      );
    }
  }

  /** Time and power of the reading `acceptPointed` takes. */
  readonly point = new Float64Array(2);

  /** `acceptPoint` with time and power in `point` (see PowerParseContext.emitPointed). */
  acceptPointed(line: number): void {
    this.acceptPoint(this.point[0]!, this.point[1]!, line);
  }

  /** Raw text of the line being parsed (its end found here when the feeder did not know it). */
  private currentLineText(buf: Buffer): string {
    let end = this.curEnd;
    if (end < 0) {
      end = buf.indexOf(0x0a, this.curStart);
      if (end < 0) end = buf.length;
      if (end > this.curStart && buf[end - 1] === 0x0d) end--;
    }
    return buf.toString("utf8", this.curStart, end);
  }

  /** `accept` for a plain timed reading, without making an object unless it is rejected. */
  acceptPoint(tS: number, powerW: number, line: number): void {
    const dt = tS - this.lastT;
    if (
      this.mode === "timed" &&
      dt > 0 &&
      dt <= this.jumpS &&
      this.held === null &&
      powerW >= 0 &&
      powerW <= this.maxPowerW
    ) {
      this.jumpS = Math.max(JUMP_MIN_S, JUMP_FACTOR * dt);
      this.lastT = tS;
      this.lastLine = line;
      this.samples++;
      this.batch.pushPoint(tS, powerW, line);
      return;
    }
    this.accept({ tS, powerW, line });
  }

  /**
   * Take the samples collected so far. With `reuse`, two batches alternate (no allocation per
   * chunk on large logs): the batch returned is valid until the next call.
   */
  take(reuse = false): PowerBatch {
    const b = this.batch;
    if (reuse && this.spare !== null) {
      this.batch = this.spare;
      this.batch.clear();
    } else this.batch = new PowerBatch(Math.max(1024, b.n));
    if (reuse) this.spare = b;
    return b;
  }
  private spare: PowerBatch | null = null;

  /** The reading held at the end of the input is taken: nothing after it says it is a stray. */
  releaseHeld(): void {
    if (this.held === null) return;
    const h = this.held.sample;
    this.held = null;
    this.samples++;
    this.batch.push(h);
  }

  /**
   * What carries from one reading of a timed log to the next (see split.ts): the last kept
   * reading's time and line, the jump limit, the reading held back. Null before any timed reading.
   */
  carry(): EngineCarry | null {
    if (this.mode !== "timed") return null;
    const held = this.held === null ? null : { ...this.held, sample: { ...this.held.sample } };
    return { lastT: this.lastT, lastLine: this.lastLine, jumpS: this.jumpS, held };
  }

  /**
   * Go on with a timed log from the middle (a block of it, see split.ts): `carry` as the reading
   * before left it, or null to start as if nothing came before (a guess the caller checks). The
   * counts start again from zero; the parser keeps what the head taught it.
   */
  resume(carry: EngineCarry | null): void {
    this.mode = "timed";
    this.lastT = carry?.lastT ?? -Infinity;
    this.lastLine = carry?.lastLine ?? 0;
    this.jumpS = carry?.jumpS ?? JUMP_MIN_S;
    this.held = carry?.held ? { ...carry.held, sample: { ...carry.held.sample } } : null;
    this.samples = 0;
    this.quarantined = 0;
    this.firstText ??= { line: 0, text: "" };
    this.batch.clear();
  }

  /** Readings kept and lines quarantined so far. */
  counts(): { samples: number; quarantined: number } {
    return { samples: this.samples, quarantined: this.quarantined };
  }

  /** End of input after `lines` lines: flush the parser; a file without any reading is fatal. */
  finish(lines: number): PowerLogSummary {
    this.parser.end(lines);
    this.releaseHeld();
    if (this.samples === 0) {
      if (this.firstText === null) {
        throw inputError("the power log is empty", {
          file: this.file,
          hint: "check that the logger ran and wrote to this file",
        });
      }
      const first = this.firstRejection;
      const vcgencmd = this.format === "pmic" ? findVcgencmdNotRegistered(first?.text ?? this.firstText.text) : null;
      if (vcgencmd !== null) throw noPmicAdcError(this.file, { ...vcgencmd, line: first?.line ?? this.firstText.line });
      throw inputError(
        `no ${this.format} readings in this file (${this.quarantined} line(s) rejected` +
          `${first ? `; the first, line ${first.line}: ${first.reason}` : ""})`,
        {
          file: this.file,
          line: first?.line ?? this.firstText.line,
          text: first?.text ?? this.firstText.text,
          field: "format",
          hint: `check that the file is a ${POWER_FORMAT_SPECS[this.format].title} log, or name its format`,
        },
      );
    }
    return {
      file: this.file,
      format: this.format,
      samples: this.samples,
      quarantined: this.quarantined,
      lines,
      timed: this.mode === "timed",
      intervalMs: this.mode === "timeless" ? this.intervalS * 1000 : null,
      rail: this.rail ?? this.format,
      totalRule: this.totalRule,
    };
  }
}
