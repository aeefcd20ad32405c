/** The collector's one clock: epoch seconds with sub-millisecond resolution, monotonic within a run. */
export const nowEpochS = (): number => (performance.timeOrigin + performance.now()) / 1000;
