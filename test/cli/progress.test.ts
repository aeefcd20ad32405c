import { describe, expect, it } from "vitest";
import { formatDuration, formatProgress, ProgressBar } from "../../src/cli/progress.js";

describe("progress line", () => {
  it("shows count, percentage, rate and ETA", () => {
    expect(formatProgress(5, 20, 10, "", 10)).toBe("[###-------]  5/20  25%  0.50/s  elapsed 00:10  ETA 00:30");
    expect(formatProgress(0, 20, 0, "loading", 10)).toContain("ETA --:--  loading");
    expect(formatProgress(5, 20, 10, "", 10, "items")).toContain("  0.50 items/s  elapsed 00:10  ETA 00:30");
    expect(formatDuration(3725)).toBe("1:02:05");
  });
});

describe("progress bar", () => {
  it("draws only when enabled, rate-limited except for the last step, and ends its line", () => {
    let every = "";
    const eager = new ProgressBar(3, (s) => (every += s), true, 0);
    for (const done of [1, 2, 3]) eager.update(done, `step ${done}`);
    eager.finish();
    expect(every.split("\r").filter((l) => l !== "")).toHaveLength(3);
    expect(every).toContain("3/3 100%");
    expect(every.endsWith("\n")).toBe(true);
    let limited = "";
    const slow = new ProgressBar(3, (s) => (limited += s), true, 1e12);
    for (const done of [1, 2, 3]) slow.update(done, `step ${done}`);
    expect(limited).not.toContain("step 1");
    expect(limited).toContain("step 3");
    let off = "";
    const quiet = new ProgressBar(3, (s) => (off += s), false);
    quiet.update(3);
    quiet.finish();
    expect(off).toBe("");
  });
});
