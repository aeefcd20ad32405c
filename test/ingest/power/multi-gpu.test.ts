/** nvidia-smi on a host with several GPUs: one channel per GPU, summed per poll (issue 13). */
import { describe, expect, it } from "vitest";
import { totalEnergy } from "../../../src/ingest/energy/index.js";
import { parsePowerText } from "../../../src/ingest/power/read.js";

const HEADER = "timestamp, index, name, power.draw [W], utilization.gpu [%]";
const WATTS = [210.5, 198.25, 75.0, 301.75];

/** `polls` polls of four GPUs, 100 ms apart; nvidia-smi stamps each GPU's row a few ms after the last. */
function fourGpuLog(polls: number, skip?: { poll: number; gpu: number }): string {
  const rows = [HEADER];
  for (let p = 0; p < polls; p++) {
    for (let g = 0; g < 4; g++) {
      if (skip?.poll === p && skip.gpu === g) continue;
      const ms = p * 100 + g * 3;
      const stamp = `2025/06/01 12:00:0${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, "0")}`;
      rows.push(`${stamp}, ${g}, NVIDIA A100-SXM4-80GB, ${WATTS[g]!.toFixed(2)} W, 90 %`);
    }
  }
  return rows.join("\n") + "\n";
}

describe("nvidia-smi with several GPUs", () => {
  it("reads each poll's rows (stamps a few ms apart) as one reading: the GPUs' sum, no duplicates", async () => {
    const r = parsePowerText(fourGpuLog(11));
    expect(r.quarantined).toEqual([]);
    expect(r.samples).toHaveLength(11);
    expect(r.samples[0]!.railsW).toEqual({ gpu0: 210.5, gpu1: 198.25, gpu2: 75, gpu3: 301.75 });
    expect(r.samples[0]!.lineEnd).toBe(5);
    const sum = WATTS.reduce((a, b) => a + b, 0);
    expect(r.samples.every((s) => s.powerW === sum)).toBe(true);
    // 1 s between the first poll and the last, all four GPUs: 785.5 J.
    expect((await totalEnergy(r.samples)).energyJ).toBeCloseTo(sum * 1.0, 9);
  });

  it("quarantines a poll that lacks a GPU's row instead of reading it as a drop in power", async () => {
    const r = parsePowerText(fourGpuLog(11, { poll: 4, gpu: 2 }));
    expect(r.samples).toHaveLength(10);
    expect(r.quarantined).toHaveLength(1);
    expect(r.quarantined[0]!.reason).toMatch(/poll without gpu2/);
    expect(r.quarantined[0]!.line).toBe(18);
    const sum = WATTS.reduce((a, b) => a + b, 0);
    expect((await totalEnergy(r.samples)).energyJ).toBeCloseTo(sum * 1.0, 9); // bridged at the same power
  });

  it("still reads one GPU without an index column row by row", () => {
    const r = parsePowerText(
      "timestamp, power.draw [W]\n2024/01/01 00:00:00.000, 10\n2024/01/01 00:00:00.000, 11\n2024/01/01 00:00:01.000, 12\n",
    );
    expect(r.samples.map((s) => s.powerW)).toEqual([10, 12]);
    expect(r.quarantined[0]!.reason).toMatch(/duplicate time stamp/);
  });
});
