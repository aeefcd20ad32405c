/** FNIRSI logger packets whose host stamps overlap the packet before by ~20 ms (issue 13). */
import { describe, expect, it } from "vitest";
import { totalEnergy } from "../../../src/ingest/energy/index.js";
import { parsePowerText } from "../../../src/ingest/power/read.js";

const HEADER = "timestamp sample_in_packet voltage_V current_A dp_V dn_V temp_C_ema energy_Ws capacity_As";
const T0 = 1657568326.0;

/** `packets` packets of 4 samples at 100 Hz; packet k is stamped late by `lateMs(k)` (host jitter). */
function log(packets: number, lateMs: (k: number) => number): string {
  const rows = [HEADER];
  for (let k = 0; k < packets; k++) {
    for (let i = 0; i < 4; i++) {
      const t = T0 + (k * 4 + i) * 0.01 + lateMs(k) / 1000;
      rows.push(`${t.toFixed(3)} ${i} 5.00000 0.50000 1.184 1.031 30.500 0.000000 0.000000`);
    }
  }
  return rows.join("\n") + "\n";
}

describe("FNIRSI overlapping packets", () => {
  it("merges samples stamped up to ~20 ms before the previous packet's last one: none quarantined", async () => {
    // Every odd packet arrives 30 ms late, so the even packet after it starts 20 ms before its end.
    const r = parsePowerText(log(25, (k) => (k % 2 === 1 ? 30 : 0)));
    expect(r.quarantined).toEqual([]);
    expect(r.samples).toHaveLength(100);
    const ts = r.samples.map((s) => s.tS!);
    for (let i = 1; i < ts.length; i++) expect(ts[i]! - ts[i - 1]!).toBeGreaterThan(0.0099);
    // 100 samples at 2.5 W, 10 ms each on the meter's clock: 99 intervals, within one packet's jitter.
    const e = (await totalEnergy(r.samples)).energyJ;
    expect(e).toBeGreaterThanOrEqual(2.5 * 0.99 - 1e-9);
    expect(e).toBeLessThanOrEqual(2.5 * (0.99 + 0.03) + 1e-9);
  });

  it("still quarantines a stamp far back (beyond the logger's tolerance) and a line repeated whole", () => {
    const rows = log(3, () => 0)
      .trimEnd()
      .split("\n");
    rows.splice(6, 0, rows[5]!); // line 6 repeated
    rows.push(`${(T0 - 5).toFixed(3)} 0 5.00000 0.50000 1.184 1.031 30.500 0.000000 0.000000`);
    const r = parsePowerText(rows.join("\n") + "\n");
    expect(r.quarantined.map((q) => q.line)).toEqual([7, 15]);
    expect(r.quarantined[0]!.reason).toMatch(/duplicate time stamp/);
    expect(r.quarantined[1]!.reason).toMatch(/time stamp goes back/);
  });
});
