/** CodeCarbon rows of one run are cumulative and may share a time stamp to the second (issue 13). */
import { describe, expect, it } from "vitest";
import { totalEnergy } from "../../../src/ingest/energy/index.js";
import { parsePowerText } from "../../../src/ingest/power/read.js";

const HEADER = "timestamp,project_name,run_id,duration,emissions,energy_consumed";
const row = (stamp: string, run: string, durationS: number, kwh: number) => `${stamp},p,${run},${durationS},0,${kwh}`;

describe("CodeCarbon cumulative rows", () => {
  it("reads rows sharing a stamp as consecutive segments: the run's energy is its last energy_consumed", async () => {
    const text = [
      HEADER,
      row("2022-05-18T12:03:49", "r1", 0.5, 0.0001),
      row("2022-05-18T12:03:49", "r1", 0.75, 0.00015),
      row("2022-05-18T12:03:49", "r1", 1.25, 0.0002),
      row("2022-05-18T12:03:50", "r1", 1.5, 0.00026),
    ].join("\n");
    const r = parsePowerText(text);
    expect(r.quarantined).toEqual([]);
    const t0 = Date.UTC(2022, 4, 18, 12, 3, 49) / 1000;
    expect(r.samples.map((s) => s.tS! - t0)).toEqual([0, 0.25, 0.75, 1]);
    expect(r.samples.map((s) => s.spanS)).toEqual([0.5, 0.25, 0.5, 0.25]);
    expect((await totalEnergy(r.samples)).energyJ).toBeCloseTo(0.00026 * 3.6e6, 6);
  });

  it("keeps a later stamp (a pause) as the segment's end, so the energy is unchanged", async () => {
    const text = [
      HEADER,
      row("2022-05-18T12:00:00", "r1", 10, 0.001),
      row("2022-05-18T12:05:00", "r1", 20, 0.002),
    ].join("\n");
    const r = parsePowerText(text);
    const t0 = Date.UTC(2022, 4, 18, 12, 0, 0) / 1000;
    expect(r.samples.map((s) => s.tS! - t0)).toEqual([0, 300]);
    expect((await totalEnergy(r.samples)).energyJ).toBeCloseTo(0.002 * 3.6e6, 6);
  });
});
