import { inputError } from "../../errors.js";
import type { PowerSample } from "../types.js";

/**
 * Samples in columns, the form that moves between the reader and the energy functions: a
 * multi-million-sample log then costs no object per sample. `tS` is always set (the reader has
 * assigned times to time-less logs); `spanS` is NaN for point readings; `extra[i]`, when
 * present, is the full sample (rails, line ranges) for formats that carry more than a number.
 */
export class PowerBatch {
  n = 0;
  tS: Float64Array;
  powerW: Float64Array;
  line: Float64Array;
  spanS: Float64Array;
  extra: (PowerSample | undefined)[] | null = null;
  /** True once a sample with a span was pushed (lets loops skip the span test otherwise). */
  hasSpans = false;

  constructor(capacity = 1024) {
    this.tS = new Float64Array(capacity);
    this.powerW = new Float64Array(capacity);
    this.line = new Float64Array(capacity);
    this.spanS = new Float64Array(capacity);
  }

  /** Empty the batch, keeping its storage. */
  clear(): void {
    this.n = 0;
    this.extra = null;
    this.hasSpans = false;
  }

  private grow(): void {
    const cap = this.tS.length * 2;
    const g = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    this.tS = g(this.tS);
    this.powerW = g(this.powerW);
    this.line = g(this.line);
    this.spanS = g(this.spanS);
  }

  /** A plain point reading. */
  pushPoint(tS: number, powerW: number, line: number): void {
    const i = this.n;
    if (i === this.tS.length) this.grow();
    this.tS[i] = tS;
    this.powerW[i] = powerW;
    this.line[i] = line;
    this.spanS[i] = NaN;
    this.n = i + 1;
  }

  /** A full sample (its `tS` must be set); kept whole when it carries rails or a line range. */
  push(s: PowerSample): void {
    const i = this.n;
    this.pushPoint(s.tS!, s.powerW, s.line);
    if (s.spanS !== undefined) {
      this.spanS[i] = s.spanS;
      this.hasSpans = true;
    }
    if (s.railsW !== undefined || s.lineEnd !== undefined) {
      this.extra ??= [];
      this.extra[i] = s;
    }
  }

  /** The samples as objects (for per-sample iteration). */
  toSamples(): PowerSample[] {
    const out = new Array<PowerSample>(this.n);
    for (let i = 0; i < this.n; i++) {
      const e = this.extra?.[i];
      if (e !== undefined) out[i] = e;
      else {
        const s: PowerSample = { tS: this.tS[i]!, powerW: this.powerW[i]!, line: this.line[i]! };
        const span = this.spanS[i]!;
        if (span === span) s.spanS = span;
        out[i] = s;
      }
    }
    return out;
  }

  /** Columns of a group of sample objects (times must be set). */
  static from(samples: readonly PowerSample[]): PowerBatch {
    const b = new PowerBatch(Math.max(1, samples.length));
    for (const s of samples) {
      if (s.tS === null) {
        throw inputError("a power sample has no time", {
          line: s.line,
          hint: "read the log with readPowerLog, which spaces readings of time-less logs by intervalMs",
        });
      }
      b.push(s);
    }
    return b;
  }
}
