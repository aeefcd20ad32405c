import type { PowerFormat, PowerSample, QuarantineEntry } from "../types.js";
import { readPowerLog, type PowerLog } from "../power/read.js";
import type { PowerLogSummary } from "../power/engine.js";
import type { PowerBatch } from "../power/batch.js";

/** Lines of one power file whose readings went into a window. */
export interface LineSpan {
  lineStart: number;
  lineEnd: number;
}

interface SpanWindow {
  startS: number;
  endS: number;
  span: LineSpan | null;
}

/**
 * One power file of a bundle as a re-readable sample source that also records, for each window
 * it is told to track, the lines of the readings inside the window and of the two readings
 * bracketing it (they shape its first and last trapezoid): the provenance of the window's
 * energy. Each pass re-reads the file, so memory stays constant whatever its size.
 */
export class TrackedPowerFile {
  summary: PowerLogSummary | null = null;
  format: PowerFormat | null = null;
  private tracked: SpanWindow[] = [];

  constructor(
    readonly path: string,
    /** Name used in messages and provenance (`<run id>/<relative path>`). */
    readonly name: string,
    private readonly options: {
      format?: PowerFormat;
      intervalMs?: number;
      clockOffsetS: number;
      onQuarantine: (e: QuarantineEntry) => void;
    },
  ) {}

  /** Windows (inference clock) whose lines the next pass records; returns their spans after it. */
  track(windows: readonly { startS: number; endS: number }[]): () => (LineSpan | null)[] {
    this.tracked = windows.map((w) => ({ startS: w.startS, endS: w.endS, span: null }));
    const tracked = this.tracked;
    return () => tracked.map((w) => w.span);
  }

  private log(keep: boolean): PowerLog {
    // Quarantine entries name the file as the bundle does, not by its absolute path, so that the
    // processed tables do not depend on where the bundle lies.
    return readPowerLog(this.path, {
      ...(this.options.format ? { format: this.options.format } : {}),
      ...(this.options.intervalMs ? { intervalMs: this.options.intervalMs } : {}),
      onQuarantine: keep
        ? (e: QuarantineEntry) => this.options.onQuarantine({ ...e, file: this.name })
        : () => undefined,
    });
  }

  /**
   * One pass over the file in the reader's column batches; `keep` = report quarantined lines
   * and keep the summary (do it once). Tracks the line spans of the windows as readings pass.
   */
  async *columns(keep: boolean): AsyncGenerator<PowerBatch> {
    const windows = this.tracked;
    const order = [...windows.keys()].sort((a, b) => windows[a]!.startS - windows[b]!.startS);
    let next = 0;
    let active: number[] = [];
    let prevLine = -1;
    let prevLineEnd = -1;
    const note = (w: SpanWindow, lineStart: number, lineEnd: number) => {
      if (!w.span) w.span = { lineStart, lineEnd };
      else {
        if (lineStart < w.span.lineStart) w.span.lineStart = lineStart;
        if (lineEnd > w.span.lineEnd) w.span.lineEnd = lineEnd;
      }
    };
    const log = this.log(keep);
    const offsetS = this.options.clockOffsetS;
    for await (const batch of log.columns()) {
      if (windows.length > 0) {
        for (let i = 0; i < batch.n; i++) {
          const t = batch.tS[i]! + offsetS;
          const line = batch.line[i]!;
          const lineEnd = batch.extra?.[i]?.lineEnd ?? line;
          while (next < order.length && windows[order[next]!]!.startS <= t) {
            const wi = order[next++]!;
            active.push(wi);
            // The reading before the window starts is part of its first trapezoid.
            if (prevLine >= 0) note(windows[wi]!, prevLine, prevLineEnd);
          }
          if (active.length > 0) {
            const keepActive: number[] = [];
            for (const wi of active) {
              const w = windows[wi]!;
              note(w, line, lineEnd); // inside, or the reading that closes its last trapezoid
              if (w.endS > t) keepActive.push(wi);
            }
            active = keepActive;
          }
          prevLine = line;
          prevLineEnd = lineEnd;
        }
      }
      yield batch;
    }
    if (keep) {
      this.format = log.format;
      this.summary = log.summary;
    }
  }

  /**
   * A sample source for the energy functions: column batches (their fast path), or samples one
   * by one for any other consumer.
   */
  source(keep: boolean): AsyncIterable<PowerSample> & { columns(): AsyncIterable<PowerBatch> } {
    const self = this;
    return {
      columns: () => self.columns(keep),
      async *[Symbol.asyncIterator]() {
        for await (const b of self.columns(keep)) yield* b.toSamples();
      },
    };
  }
}
