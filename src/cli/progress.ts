/**
 * The CLI's one progress bar: a line with rate and ETA, drawn on stderr only when stderr is a TTY.
 * The core never draws: it reports progress through a callback (done, total, the last item), and
 * a command turns each report into `bar.update(done, note)`. `formatProgress` is pure formatting;
 * the caller owns the clock.
 */
import { SECONDS_PER_HOUR } from "../metrics/units.js";

const SECONDS_PER_MINUTE = 60;

export function formatDuration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return "--:--";
  const t = Math.round(s);
  const h = Math.floor(t / SECONDS_PER_HOUR);
  const m = Math.floor((t % SECONDS_PER_HOUR) / SECONDS_PER_MINUTE);
  const sec = t % SECONDS_PER_MINUTE;
  return h > 0
    ? `${h}:${String(m).padStart(2, "0")}:${String(sec).padStart(2, "0")}`
    : `${String(m).padStart(2, "0")}:${String(sec).padStart(2, "0")}`;
}

/** `[#########-----------]  9/20  45%  0.8/s  elapsed 00:11  ETA 00:13  <note>` (`0.8 items/s` with a unit) */
export function formatProgress(
  done: number,
  total: number,
  elapsedS: number,
  note = "",
  width = 24,
  unit = "",
): string {
  const frac = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(frac * width);
  const rate = elapsedS > 0 ? done / elapsedS : 0;
  const etaS = done > 0 && rate > 0 ? (total - done) / rate : NaN;
  const bar = `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
  const count = `${String(done).padStart(String(total).length)}/${total}`;
  const pct = `${(frac * 100).toFixed(0).padStart(3)}%`;
  const times = `elapsed ${formatDuration(elapsedS)}  ETA ${formatDuration(etaS)}`;
  return `${bar} ${count} ${pct}  ${rate.toFixed(2)}${unit ? ` ${unit}` : ""}/s  ${times}` + (note ? `  ${note}` : "");
}

/** Draws progress on a TTY stream, at most every `minIntervalMs`; no-op elsewhere. */
export class ProgressBar {
  /** A bar on the command's stderr, drawn only when the process's stderr is a terminal. */
  static onStderr(total: number, write: (s: string) => void, unit = ""): ProgressBar {
    return new ProgressBar(total, write, process.stderr.isTTY === true, 200, unit);
  }

  private last = 0;
  private readonly t0 = performance.now();
  constructor(
    private readonly total: number,
    private readonly write: (s: string) => void,
    private readonly enabled: boolean,
    private readonly minIntervalMs = 200,
    private readonly unit = "",
  ) {}
  update(done: number, note = ""): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (done < this.total && now - this.last < this.minIntervalMs) return;
    this.last = now;
    this.write(`\r${formatProgress(done, this.total, (now - this.t0) / 1000, note, 24, this.unit)}\x1b[K`);
  }
  finish(): void {
    if (this.enabled) this.write("\n");
  }
}
