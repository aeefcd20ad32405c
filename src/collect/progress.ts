/**
 * A one-line progress bar with rate and ETA, for a terminal (callers draw it on stderr only when
 * stderr is a TTY). Pure formatting; the caller owns the clock.
 */

export function formatDuration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return "--:--";
  const t = Math.round(s);
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = t % 60;
  return h > 0
    ? `${h}:${String(m).padStart(2, "0")}:${String(sec).padStart(2, "0")}`
    : `${String(m).padStart(2, "0")}:${String(sec).padStart(2, "0")}`;
}

/** `[#########-----------]  9/20  45%  0.8/s  elapsed 00:11  ETA 00:13  <note>` */
export function formatProgress(done: number, total: number, elapsedS: number, note = "", width = 24): string {
  const frac = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(frac * width);
  const rate = elapsedS > 0 ? done / elapsedS : 0;
  const etaS = done > 0 && rate > 0 ? (total - done) / rate : NaN;
  return (
    `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(done).padStart(String(total).length)}/${total} ` +
    `${(frac * 100).toFixed(0).padStart(3)}%  ${rate.toFixed(2)}/s  elapsed ${formatDuration(elapsedS)}  ETA ${formatDuration(etaS)}` +
    (note ? `  ${note}` : "")
  );
}

/** Draws progress on a TTY stream, at most every `minIntervalMs`; no-op elsewhere. */
export class ProgressBar {
  private last = 0;
  private readonly t0 = performance.now();
  constructor(
    private readonly total: number,
    private readonly write: (s: string) => void,
    private readonly enabled: boolean,
    private readonly minIntervalMs = 200,
  ) {}
  update(done: number, note = ""): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (done < this.total && now - this.last < this.minIntervalMs) return;
    this.last = now;
    this.write(`\r${formatProgress(done, this.total, (now - this.t0) / 1000, note)}\x1b[K`);
  }
  finish(): void {
    if (this.enabled) this.write("\n");
  }
}
